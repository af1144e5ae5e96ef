/**
 * The block-DFT conv (engine/objective/onnx/spectral-conv.ts) against plain float64 loops:
 * forward conv, its input gradient, the spectral weights made by the onnx graph, and
 * bit-identical results over many threaded runs.
 */
import type * as Ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { spectralWeightsInPlace } from '../../../engine/objective/onnx-objective';
import { loadOrt } from '../../../engine/objective/onnx/runtime';
import { GraphBuilder } from '../../../engine/objective/onnx/graph';
import { SPECTRAL_CHUNK, spectralConv, spectralConvGrad, spectralPlan, spectralWeightLength, type SpectralPlan, sliceRows } from '../../../engine/objective/onnx/spectral-conv';

import { createRng } from '../../../engine/random';
import { relativeL2 } from '../../helpers/compare';

/**
 * The same transform in float64 JS, in place: `buf` holds W (K × F × N) in its first
 * K·F·N values and the L slices on return. The plain statement of what the graph above
 * computes (held against each other here); ~20× slower than the graph at W1's size.
 */
function spectralWeightsReference(buf: Float32Array, p: SpectralPlan, bins: number, filters: number): void {
  const { kernel: K, size: L } = p;
  const cols = bins * filters;
  if (buf.length !== L * cols) throw new RangeError(`spectral weights need ${L * cols} values, got ${buf.length}`);
  const coef = sliceRows(p, K);
  const w = new Float64Array(K);
  for (let i = 0; i < cols; i++) {
    for (let k = 0; k < K; k++) w[k] = buf[k * cols + i];
    for (let r = 0; r < L; r++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc += coef[r * K + k] * w[k];
      buf[r * cols + i] = acc;
    }
  }
}

const sessions: Ort.InferenceSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

const rand = (n: number, seed: number, scale = 1) => {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => scale * (r.next() - 0.5));
};

/** Z[t, n] = Σ_k Σ_f X[t + k, f] W[k, f, n] in float64. */
function directConv(x: Float32Array, w: Float32Array, T: number, F: number, N: number, K: number): Float64Array {
  const tp = T - K + 1;
  const z = new Float64Array(tp * N);
  for (let t = 0; t < tp; t++)
    for (let k = 0; k < K; k++)
      for (let f = 0; f < F; f++) {
        const v = x[(t + k) * F + f];
        for (let n = 0; n < N; n++) z[t * N + n] += v * w[(k * F + f) * N + n];
      }
  return z;
}

/** dX[s, f] = Σ_k Σ_n dZ[s − k, n] W[k, f, n] in float64 (the adjoint of directConv). */
function directConvGrad(dz: Float32Array, w: Float32Array, T: number, F: number, N: number, K: number): Float64Array {
  const tp = T - K + 1;
  const dx = new Float64Array(T * F);
  for (let t = 0; t < tp; t++)
    for (let k = 0; k < K; k++)
      for (let f = 0; f < F; f++) {
        let s = 0;
        for (let n = 0; n < N; n++) s += dz[t * N + n] * w[(k * F + f) * N + n];
        dx[(t + k) * F + f] += s;
      }
  return dx;
}

interface Case {
  T: number;
  F: number;
  N: number;
  K: number;
  L?: number;
}

async function convSessions(ort: typeof Ort, c: Case, p: SpectralPlan) {
  const { T, F, N, K } = c;
  const tp = T - K + 1;
  const open = async (g: GraphBuilder) => {
    const s = await ort.InferenceSession.create(g.encode(), { intraOpNumThreads: 2, interOpNumThreads: 1, logSeverityLevel: 3 });
    sessions.push(s);
    return s;
  };
  const gf = new GraphBuilder('fwd');
  const gfw = [gf.input('w0', [2, F, N]), gf.input('wc', [2 * p.half, F, N])];
  gf.output(spectralConv(gf, gf.input('x', [T, F]), gfw[0], gfw[1], p, T, F, N), 'z', [tp, N]);
  const gb = new GraphBuilder('bwd');
  const gbw = [gb.input('w0', [2, F, N]), gb.input('wc', [2 * p.half, F, N])];
  gb.output(spectralConvGrad(gb, gb.input('dz', [tp, N]), gbw[0], gbw[1], p, T, F, N), 'dx', [T, F]);
  return { fwd: await open(gf), bwd: await open(gb) };
}

function weightFeeds(ort: typeof Ort, buf: Float32Array, p: SpectralPlan, F: number, N: number) {
  return {
    w0: new ort.Tensor('float32', buf.subarray(0, 2 * F * N), [2, F, N]),
    wc: new ort.Tensor('float32', buf.subarray(2 * F * N), [2 * p.half, F, N]),
  };
}

describe('spectral conv', () => {
  const cases: Case[] = [
    { T: 40, F: 9, N: 7, K: 11 },
    { T: 11, F: 5, N: 3, K: 11 }, // one output frame
    { T: 60, F: 8, N: 6, K: 3 },
    { T: 33, F: 6, N: 4, K: 2 },
    { T: 50, F: 7, N: 5, K: 5, L: 16 },
    { T: 45, F: 6, N: 5, K: 11, L: 32 },
    { T: 26, F: 4, N: 4, K: 4, L: 8 }, // blocks fit the frames exactly (no cut)
    { T: 20, F: 5, N: 3, K: 3, L: 4 }, // one complex bin
  ];
  for (const c of cases) {
    it(`matches the direct conv and its gradient: T=${c.T} F=${c.F} N=${c.N} K=${c.K} L=${c.L ?? 'default'}`, async () => {
      const ort = await loadOrt();
      const { T, F, N, K } = c;
      const p = spectralPlan(K, c.L);
      const tp = T - K + 1;
      const w = rand(K * F * N, 1, 0.5);
      const buf = new Float32Array(spectralWeightLength(p, F, N));
      buf.set(w);
      spectralWeightsReference(buf, p, F, N);
      const { fwd, bwd } = await convSessions(ort, c, p);
      const x = rand(T * F, 2);
      const dz = rand(tp * N, 3);
      const z = (await fwd.run({ x: new ort.Tensor('float32', x, [T, F]), ...weightFeeds(ort, buf, p, F, N) })).z.data as Float32Array;
      const dx = (await bwd.run({ dz: new ort.Tensor('float32', dz, [tp, N]), ...weightFeeds(ort, buf, p, F, N) })).dx.data as Float32Array;
      expect(z.length).toBe(tp * N);
      expect(dx.length).toBe(T * F);
      expect(relativeL2(z, directConv(x, w, T, F, N, K))).toBeLessThan(2e-6);
      expect(relativeL2(dx, directConvGrad(dz, w, T, F, N, K))).toBeLessThan(2e-6);
    });
  }

  it('the block plan is L = 2K (at least 8), and refuses a block shorter than K + 1', () => {
    expect(spectralPlan(11)).toEqual({ kernel: 11, size: 22, hop: 12, half: 10 });
    expect(spectralPlan(2)).toEqual({ kernel: 2, size: 8, hop: 7, half: 3 });
    expect(spectralPlan(3, 4)).toEqual({ kernel: 3, size: 4, hop: 2, half: 1 });
    expect(() => spectralPlan(11, 10)).toThrow(RangeError);
  });

  it('the onnx weights graph matches the float64 transform, across a chunk boundary, in place', async () => {
    const ort = await loadOrt();
    const F = 257;
    const N = 300; // F·N > SPECTRAL_CHUNK: one whole chunk and a partial one
    expect(F * N).toBeGreaterThan(SPECTRAL_CHUNK);
    const p = spectralPlan(3);
    const w = rand(3 * F * N, 4);
    const viaOrt = new Float32Array(spectralWeightLength(p, F, N));
    viaOrt.set(w);
    await spectralWeightsInPlace(ort, viaOrt, p, F * N, 2);
    const ref = new Float32Array(viaOrt.length);
    ref.set(w);
    spectralWeightsReference(ref, p, F, N);
    expect(relativeL2(viaOrt, ref)).toBeLessThan(1e-6);
    // Slice 0 is Σ_k W[k]: spot-check a column in the second chunk against the definition.
    const col = SPECTRAL_CHUNK + 17;
    expect(viaOrt[col]).toBeCloseTo(w[col] + w[F * N + col] + w[2 * F * N + col], 5);
  });

  it('gives bit-identical results over repeated threaded runs', async () => {
    const ort = await loadOrt();
    const c = { T: 300, F: 129, N: 192, K: 11 };
    const { T, F, N, K } = c;
    const p = spectralPlan(K);
    const tp = T - K + 1;
    const buf = new Float32Array(spectralWeightLength(p, F, N));
    buf.set(rand(K * F * N, 5, 0.2));
    spectralWeightsReference(buf, p, F, N);
    const { fwd, bwd } = await convSessions(ort, c, p);
    const feeds = weightFeeds(ort, buf, p, F, N);
    const x = new ort.Tensor('float32', rand(T * F, 6), [T, F]);
    const dz = new ort.Tensor('float32', rand(tp * N, 7), [tp, N]);
    const bytes = (t: Ort.Tensor) => Buffer.from((t.data as Float32Array).slice().buffer);
    const z0 = bytes((await fwd.run({ x, ...feeds })).z);
    const dx0 = bytes((await bwd.run({ dz, ...feeds })).dx);
    for (let i = 0; i < 20; i++) {
      expect(bytes((await fwd.run({ x, ...feeds })).z).equals(z0)).toBe(true);
      expect(bytes((await bwd.run({ dz, ...feeds })).dx).equals(dx0)).toBe(true);
    }
  });
});
