import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GramophoneError } from '../../../common/errors';
import type { Objective } from '../../../engine/objective/objective';
import { createTfjsObjective, createTfjsObjectiveWith, loadTf } from '../../../engine/objective/tfjs-objective';
import type { LoadedTf } from '../../../engine/objective/tfjs/load-tf';
import { conv1dOf, referenceFeatures, referenceGradientAt, referenceLoss } from './reference-loss';
import { ALL_ON, TINY, WEIGHTINGS, maxRelativeError, randomSpectrogram, sampleIndices, smallSetup } from './tfjs-fixtures';

/** The four terms the float64 reference defines. */
const CLASSIC = ['content', 'style', 'energy', 'timbre'] as const;

// Runs on whatever backend loads by default here (wasm when tfjs-node is absent).
let loaded: LoadedTf;
beforeAll(async () => {
  loaded = await loadTf();
});

const ACTIVATIONS = ['relu', 'selu', 'tanh'] as const;
const xOf = (seed: number) => randomSpectrogram(TINY.frames * TINY.bins, 100 + seed, 0, 2);

describe('loadTf', () => {
  it('loads one backend for the process and names it', async () => {
    expect(['tensorflow', 'wasm', 'cpu']).toContain(loaded.backend);
    expect(loaded.tf.getBackend()).toBe(loaded.backend);
    expect(await loadTf()).toBe(loaded);
    expect(loaded.detail.length).toBeGreaterThan(0);
  });

  it('leaves no emscripten crash handlers on the process', () => {
    // The wasm runtime adds listeners that rethrow; loadTf removes them.
    const src = [...process.listeners('uncaughtException'), ...process.listeners('unhandledRejection')].map(String);
    expect(src.filter((s) => s.includes('ExitStatus') || s.includes('throw reason'))).toEqual([]);
  });
});

describe('tfjs objective against the float64 reference', () => {
  const opened: Objective[] = [];
  afterAll(() => opened.forEach((o) => o.dispose()));
  const open = async (...args: Parameters<typeof smallSetup>) => {
    const o = await createTfjsObjective(smallSetup(...args));
    opened.push(o);
    return o;
  };

  it('reports its backend as "tfjs (<backend>)"', async () => {
    const o = await open(TINY, ALL_ON);
    expect(o.backend).toBe(`tfjs (${loaded.backend})`);
  });

  for (const act of ACTIVATIONS) {
    it(`loss and every term match plain loops (${act})`, async () => {
      const setup = smallSetup(TINY, WEIGHTINGS.combined, act, 2);
      const o = await open(TINY, WEIGHTINGS.combined, act, 2);
      const x = xOf(1);
      const ev = await o.evaluate(x);
      const ref = referenceLoss(setup, x);
      for (const t of CLASSIC) {
        expect(ref.terms[t]).toBeGreaterThan(1e-4);
        expect(Math.abs(ev.terms[t] - ref.terms[t]) / ref.terms[t]).toBeLessThan(1e-4);
      }
      expect(Math.abs(ev.loss - ref.loss) / ref.loss).toBeLessThan(1e-4);
    });

    for (const [name, weights] of Object.entries(WEIGHTINGS)) {
      it(`gradient matches finite differences: ${name} term(s), ${act}`, async () => {
        const setup = smallSetup(TINY, weights, act, 3);
        const o = await open(TINY, weights, act, 3);
        const x = xOf(2);
        const ev = await o.evaluate(x);
        const idx = sampleIndices(x.length, 16, 7);
        const fd = referenceGradientAt(setup, x, idx);
        expect(Math.max(...fd.map(Math.abs))).toBeGreaterThan(1e-6);
        expect(
          maxRelativeError(
            idx.map((i) => ev.gradient[i]),
            fd,
          ),
        ).toBeLessThan(1e-2);
        // The unweighted terms are reported even when their weight is 0.
        const ref = referenceLoss(setup, x);
        for (const t of CLASSIC) expect(ev.terms[t]).toBeCloseTo(ref.terms[t], 4);
      });
    }
  }

  it('a directional finite difference of its own float32 loss agrees with the gradient', async () => {
    const o = await open(TINY, WEIGHTINGS.combined, 'tanh', 4);
    const x = xOf(3);
    const dir = randomSpectrogram(x.length, 55, -1, 1);
    const ev = await o.evaluate(x);
    const h = 1e-2;
    const step = (s: number) => Float32Array.from(x, (v, i) => v + s * h * dir[i]);
    const [up, down] = [(await o.evaluate(step(1))).loss, (await o.evaluate(step(-1))).loss];
    let analytic = 0;
    for (let i = 0; i < x.length; i++) analytic += ev.gradient[i] * dir[i];
    expect(Math.abs((up - down) / (2 * h) - analytic) / Math.abs(analytic)).toBeLessThan(1e-2);
  });

  it('features(x) is A(x)', async () => {
    const setup = smallSetup(TINY, ALL_ON, 'selu', 5);
    const o = await open(TINY, ALL_ON, 'selu', 5);
    const x = xOf(4);
    const a = await o.features(x);
    const { net, w } = conv1dOf(setup);
    const ref = referenceFeatures(x, TINY.frames, TINY.bins, w, net);
    expect(a.length).toBe((TINY.frames - TINY.kernel + 1) * TINY.filters);
    expect(maxRelativeError(a, ref)).toBeLessThan(1e-5);
  });

  it('forward-op gradients equal tfjs autodiff of tf.conv1d and matMul', async () => {
    for (const act of ACTIVATIONS) {
      const setup = smallSetup(TINY, WEIGHTINGS.combined, act, 6);
      const fast = await createTfjsObjectiveWith(setup, { kernels: 'fast' });
      const auto = await createTfjsObjectiveWith(setup, { kernels: 'autodiff' });
      const x = xOf(5);
      const [a, b] = [await fast.evaluate(x), await auto.evaluate(x)];
      const gb = Float32Array.from(b.gradient);
      expect(a.loss).toBeCloseTo(b.loss, 5);
      expect(maxRelativeError(a.gradient, gb)).toBeLessThan(1e-4);
      fast.dispose();
      auto.dispose();
    }
  });

  it('with every weight at 0: loss 0, zero gradient, terms still reported', async () => {
    const zero = { content: 0, style: 0, energy: 0, timbre: 0 };
    const setup = smallSetup(TINY, zero, 'relu', 7);
    const o = await open(TINY, zero, 'relu', 7);
    const x = xOf(6);
    const ev = await o.evaluate(x);
    expect(ev.loss).toBe(0);
    expect(ev.gradient.every((g) => g === 0)).toBe(true);
    expect(ev.terms.style).toBeCloseTo(referenceLoss(setup, x).terms.style, 4);
  });

  it('a silent style gives finite terms (normalisers are guarded)', async () => {
    const setup = { ...smallSetup(TINY, ALL_ON, 'relu', 8), style: new Float32Array(TINY.styleFrames * TINY.bins) };
    const o = await createTfjsObjective(setup);
    opened.push(o);
    const ev = await o.evaluate(xOf(7));
    expect(Number.isFinite(ev.loss)).toBe(true);
    expect(ev.gradient.every(Number.isFinite)).toBe(true);
  });

  it('the content point has zero content loss', async () => {
    const setup = smallSetup(TINY, WEIGHTINGS.content, 'relu', 9);
    const o = await open(TINY, WEIGHTINGS.content, 'relu', 9);
    const ev = await o.evaluate(setup.content);
    expect(ev.terms.content).toBe(0);
    expect(ev.gradient.every((g) => g === 0)).toBe(true);
  });
});

describe('tfjs objective resources and input checks', () => {
  it('holds no tensors across evaluations, and none after dispose', async () => {
    const { tf } = loaded;
    const before = tf.memory().numTensors;
    const o = await createTfjsObjective(smallSetup(TINY, ALL_ON, 'relu', 10));
    const held = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await o.evaluate(xOf(i));
      await o.features(xOf(i));
      expect(tf.memory().numTensors).toBe(held);
    }
    o.dispose();
    o.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(o.evaluate(xOf(0))).rejects.toThrow(/disposed/);
  });

  it('refuses a content shorter than the kernel, naming the reason', async () => {
    const shape = { ...TINY, frames: 2 };
    const err = await createTfjsObjective(smallSetup(shape, ALL_ON)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GramophoneError);
    expect((err as GramophoneError).code).toBe('INVALID_INPUT');
    expect((err as GramophoneError).message).toMatch(/content is too short.*2 frames.*3 frames wide/);
  });

  it('refuses a spectrogram of the wrong size', async () => {
    const o = await createTfjsObjective(smallSetup(TINY, ALL_ON));
    await expect(o.evaluate(new Float32Array(5))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    o.dispose();
  });
});
