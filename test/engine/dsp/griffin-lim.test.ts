import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireKernelPool, disposeKernelPool, kernelWorkerPath } from '../../../engine/dsp/kernel-pool';
import { griffinLim } from '../../../engine/dsp/griffin-lim';
import { magnitude, stft, type StftShape } from '../../../engine/dsp/stft';
import { synth } from './signals';
import { relativeL2 } from '../../helpers/compare';

/** ‖M − |STFT(x)|‖ / ‖M‖ computed plainly: the oracle for the figure Griffin-Lim reports. */
function spectralConvergence(target: Float32Array, signal: Float32Array, shape: StftShape): number {
  return relativeL2(magnitude(stft(signal, shape)), target);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// Inside node_modules so the bundle's external imports (the wasm FFT) resolve from it.
const workerDir = path.join(root, 'node_modules/.cache', `gramophone-kernel-worker-${process.pid}`);

const shape: StftShape = { nFft: 2048, hop: 512 };
// A W3-style signal, shortened from 10 s to keep the suite fast (10 s is checked by bench/w3.ts).
const signal = synth(44100, 2, 1);
const spec = stft(signal, shape);
const mag = magnitude(spec);
const base = { momentum: 0.99, length: signal.length, seed: 3 };

beforeAll(async () => {
  mkdirSync(workerDir, { recursive: true });
  // The pool runs the bundled worker; build it from the current sources, as scripts/build.mjs does.
  await build({
    entryPoints: [path.join(root, 'engine/dsp/kernel-worker.ts')],
    outfile: path.join(workerDir, 'kernel-worker.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
});

afterAll(async () => {
  await disposeKernelPool();
  delete process.env.GRAMOPHONE_KERNEL_WORKER;
  rmSync(workerDir, { recursive: true, force: true });
});

describe('griffinLim', () => {
  it('reports a spectral convergence that falls with iterations, ≤ 0.05 after 100', async () => {
    const scs: number[] = [];
    for (const iterations of [0, 5, 25, 100]) {
      const r = await griffinLim(mag, spec.frames, shape, { ...base, iterations, threads: 1 });
      expect(r.signal.length).toBe(signal.length);
      // The reported figure is the real one.
      expect(r.spectralConvergence).toBeCloseTo(spectralConvergence(mag, r.signal, shape), 4);
      scs.push(r.spectralConvergence);
    }
    for (let i = 1; i < scs.length; i++) expect(scs[i]).toBeLessThan(scs[i - 1]);
    expect(scs[0]).toBeGreaterThan(0.3);
    expect(scs[3]).toBeLessThanOrEqual(0.05);
  });

  it('momentum beats classic Griffin-Lim at the same iteration count', async () => {
    const fast = await griffinLim(mag, spec.frames, shape, { ...base, iterations: 30, threads: 1 });
    const classic = await griffinLim(mag, spec.frames, shape, { ...base, momentum: 0, iterations: 30, threads: 1 });
    expect(fast.spectralConvergence).toBeLessThan(classic.spectralConvergence);
  });

  it('reproduces a seed exactly and differs across seeds', async () => {
    const small = synth(16000, 0.5, 4);
    const sh = { nFft: 512, hop: 128 };
    const s = stft(small, sh);
    const m = magnitude(s);
    const opts = { iterations: 10, momentum: 0.99, length: small.length, threads: 1 };
    const a = await griffinLim(m, s.frames, sh, { ...opts, seed: 11 });
    const b = await griffinLim(m, s.frames, sh, { ...opts, seed: 11 });
    const c = await griffinLim(m, s.frames, sh, { ...opts, seed: 12 });
    expect(Buffer.from(a.signal.buffer).equals(Buffer.from(b.signal.buffer))).toBe(true);
    expect(Buffer.from(a.signal.buffer).equals(Buffer.from(c.signal.buffer))).toBe(false);
  });

  it('starting from the true phase reconstructs the signal', async () => {
    const r = await griffinLim(mag, spec.frames, shape, { ...base, iterations: 0, initialPhase: spec, threads: 1 });
    let err = 0;
    for (let i = 0; i < signal.length; i++) err = Math.max(err, Math.abs(r.signal[i] - signal[i]));
    expect(err).toBeLessThan(1e-5);
    expect(r.spectralConvergence).toBeLessThan(1e-5);
  });

  it('awaits onIteration each iteration and stops when it throws', async () => {
    const seen: Array<[number, number]> = [];
    const stop = new Error('cancelled by test');
    const run = griffinLim(mag, spec.frames, shape, {
      ...base,
      iterations: 50,
      threads: 1,
      onIteration: async (i, total) => {
        seen.push([i, total]);
        await Promise.resolve();
        if (i === 3) throw stop;
      },
    });
    await expect(run).rejects.toBe(stop);
    expect(seen).toEqual([
      [1, 50],
      [2, 50],
      [3, 50],
    ]);
  });

  it('refuses a magnitude that does not fit the length', async () => {
    await expect(griffinLim(mag, spec.frames, shape, { ...base, length: signal.length + 600, iterations: 1 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(griffinLim(mag, spec.frames, shape, { ...base, iterations: -1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('griffinLim on worker threads', () => {
  it('finds no worker script when running from the TypeScript sources', () => {
    expect(kernelWorkerPath()).toBeNull();
  });

  it('gives bit-identical results on 1, 2 and 3 threads', async () => {
    process.env.GRAMOPHONE_KERNEL_WORKER = path.join(workerDir, 'kernel-worker.js');
    const pool = await acquireKernelPool(3);
    expect(pool?.threads).toBe(3);
    const opts = { ...base, iterations: 8 };
    const one = await griffinLim(mag, spec.frames, shape, { ...opts, threads: 1 });
    const two = await griffinLim(mag, spec.frames, shape, { ...opts, threads: 2 });
    const three = await griffinLim(mag, spec.frames, shape, { ...opts, threads: 3 });
    expect(Buffer.from(two.signal.buffer).equals(Buffer.from(one.signal.buffer))).toBe(true);
    expect(Buffer.from(three.signal.buffer).equals(Buffer.from(one.signal.buffer))).toBe(true);
    expect(two.spectralConvergence).toBe(one.spectralConvergence);
    expect(three.spectralConvergence).toBe(one.spectralConvergence);
    // The result is an ordinary array, not a view of memory the workers share.
    expect(two.signal.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('is bit-identical with a given initial phase and classic momentum too', async () => {
    process.env.GRAMOPHONE_KERNEL_WORKER = path.join(workerDir, 'kernel-worker.js');
    const noisy = synth(44100, 2, 9);
    const phase = stft(noisy, shape);
    const opts = { ...base, momentum: 0, iterations: 3, initialPhase: phase };
    const one = await griffinLim(mag, spec.frames, shape, { ...opts, threads: 1 });
    const two = await griffinLim(mag, spec.frames, shape, { ...opts, threads: 2 });
    expect(Buffer.from(two.signal.buffer).equals(Buffer.from(one.signal.buffer))).toBe(true);
  });

  it('stops cleanly when cancelled mid-run and the pool stays usable', async () => {
    process.env.GRAMOPHONE_KERNEL_WORKER = path.join(workerDir, 'kernel-worker.js');
    const stop = new Error('stop');
    await expect(
      griffinLim(mag, spec.frames, shape, {
        ...base,
        iterations: 20,
        threads: 2,
        onIteration: (i) => {
          if (i === 2) throw stop;
        },
      }),
    ).rejects.toBe(stop);
    const r = await griffinLim(mag, spec.frames, shape, { ...base, iterations: 2, threads: 2 });
    expect(r.spectralConvergence).toBeGreaterThan(0);
  });

  it('falls back to one thread when the worker script is missing', async () => {
    process.env.GRAMOPHONE_KERNEL_WORKER = path.join(workerDir, 'missing.js');
    expect(await acquireKernelPool(2)).toBeNull();
    const r = await griffinLim(mag, spec.frames, shape, { ...base, iterations: 2, threads: 2 });
    const ref = await griffinLim(mag, spec.frames, shape, { ...base, iterations: 2, threads: 1 });
    expect(Buffer.from(r.signal.buffer).equals(Buffer.from(ref.signal.buffer))).toBe(true);
  });
});

describe('Griffin-Lim kernels', () => {
  it('the SIMD update matches the plain-JS one to float precision', async () => {
    await simdMatchesJs(shape.nFft);
  });

  it('... and with a window shorter than the FFT', async () => {
    await simdMatchesJs(shape.nFft - 160);
  });

  it('reconstructs through a window shorter than the FFT as well as through a full one', async () => {
    const short: StftShape = { nFft: 512, window: 480, hop: 160 };
    const x = synth(16000, 1, 2);
    const m = magnitude(stft(x, short));
    const frames = m.length / 257;
    const r = await griffinLim(m, frames, short, { momentum: 0.99, length: x.length, seed: 3, iterations: 40, threads: 1 });
    // Measured with the same short window; a full 512 window would be a different STFT.
    expect(spectralConvergence(m, r.signal, short)).toBeCloseTo(r.spectralConvergence, 5);
    expect(r.spectralConvergence).toBeLessThan(0.25);
    expect(spectralConvergence(m, r.signal, { nFft: 512, hop: 160 })).toBeGreaterThan(r.spectralConvergence);
  });
});

/** One fused Griffin-Lim update through the SIMD kernels and through plain JS, compared. */
async function simdMatchesJs(window: number): Promise<void> {
  const { griffinLimFrames, griffinLimFramesJs } = await import('../../../engine/dsp/griffin-lim-frames');
  const { padReflect } = await import('../../../engine/dsp/stft-frames');
  const { realFft, glKernels } = await import('../../../engine/dsp/fft');
  expect(glKernels).not.toBeNull();
  const n = shape.nFft;
  const frames = spec.frames;
  const xp = padReflect(synth(44100, 2, 5), n / 2);
  const tpA = new Float32Array(frames * n).map((_, i) => Math.sin(i));
  const tpB = tpA.slice();
  const outA = new Float32Array(frames * n);
  const outB = new Float32Array(frames * n);
  const step = { xp, mag, n, window, hop: shape.hop, coef: 0.99 / 1.99 };
  griffinLimFrames({ ...step, tp: tpA, frameBuf: outA }, 0, frames);
  griffinLimFramesJs(realFft(n), { ...step, tp: tpB, frameBuf: outB }, 0, frames);
  let tpErr = 0;
  for (let i = 0; i < tpA.length; i++) tpErr = Math.max(tpErr, Math.abs(tpA[i] - tpB[i]));
  expect(tpErr).toBe(0);
  let err = 0;
  let peak = 0;
  for (let i = 0; i < outA.length; i++) {
    err = Math.max(err, Math.abs(outA[i] - outB[i]));
    peak = Math.max(peak, Math.abs(outB[i]));
  }
  expect(peak).toBeGreaterThan(0.01);
  expect(err / peak).toBeLessThan(1e-5);
}
