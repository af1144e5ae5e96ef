import { describe, expect, it } from 'vitest';
import { PairProducts, jsHistoryKernels, type HistoryKernels } from '../../../engine/optim/history';
import { lbfgs } from '../../../engine/optim/lbfgs';
import { loadOrt } from '../../../engine/objective/onnx/runtime';
import { onnxHistoryKernels } from '../../../engine/objective/onnx/history-kernels';
import { createRng } from '../../../engine/random';
import { asObjective, quadratic, randomSpd, randomVector } from './problems';
import { relativeL2 } from '../../helpers/compare';

/** The two-loop recursion (Nocedal & Wright, Alg. 7.4) in float64: the reference H·q. */
function twoLoopReference(pairs: { s: Float64Array; y: Float64Array }[], q: Float64Array, gamma: number): Float64Array {
  const d = Float64Array.from(q);
  const alpha: number[] = [];
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((acc, v, i) => acc + v * b[i], 0);
  for (let k = pairs.length - 1; k >= 0; k--) {
    const { s, y } = pairs[k];
    alpha[k] = dot(s, d) / dot(s, y);
    for (let i = 0; i < d.length; i++) d[i] -= alpha[k] * y[i];
  }
  for (let i = 0; i < d.length; i++) d[i] *= gamma;
  for (let k = 0; k < pairs.length; k++) {
    const { s, y } = pairs[k];
    const b = dot(y, d) / dot(s, y);
    for (let i = 0; i < d.length; i++) d[i] += (alpha[k] - b) * s[i];
  }
  return d;
}

/**
 * `count` pairs stored in a ring of `slots` the way lbfgs.ts stores them (row 2j = s, 2j + 1 = y),
 * with sᵀy > 0 (y = A·s for a positive-definite A, plus a little noise), the newest last.
 * A is dense for small n, diagonal for large n (a dense one would cost n³ to make).
 */
async function ringOf(kernels: HistoryKernels, n: number, slots: number, count: number, seed: number) {
  const rng = createRng(seed);
  const dense = n <= 64 ? randomSpd(n, seed + 1, 0.5) : null;
  const diag = Float64Array.from({ length: n }, () => 0.5 + rng.next());
  const hist = new Float32Array(2 * slots * n);
  const products = new PairProducts(slots);
  const kept: { s: Float64Array; y: Float64Array; slot: number }[] = [];
  for (let c = 0; c < count; c++) {
    const j = c % slots;
    const s = Float32Array.from({ length: n }, () => rng.normal());
    const y = Float32Array.from({ length: n }, (_, i) => (dense ? s.reduce((acc, v, k) => acc + dense[i * n + k] * v, 0) : diag[i] * s[i]) + 0.01 * rng.normal());
    hist.set(s, 2 * j * n);
    hist.set(y, (2 * j + 1) * n);
    kept.push({ s: Float64Array.from(s), y: Float64Array.from(y), slot: j });
    const live = kept.slice(-slots);
    const used = Math.min(c + 1, slots);
    const sy = s.reduce((acc, v, i) => acc + v * y[i], 0);
    const yy = y.reduce((acc, v) => acc + v * v, 0);
    const withS = await kernels.products(hist, 2 * used, s, n);
    const withY = await kernels.products(hist, 2 * used, y, n);
    products.record(
      j,
      withS,
      withY,
      live.map((p) => p.slot),
      sy,
      yy,
    );
  }
  const live = kept.slice(-slots);
  return { hist, products, live, used: Math.min(count, slots), gamma: live.at(-1)!.s.reduce((acc, v, i) => acc + v * live.at(-1)!.y[i], 0) / live.at(-1)!.y.reduce((acc, v) => acc + v * v, 0) };
}

async function compactHq(kernels: HistoryKernels, ring: Awaited<ReturnType<typeof ringOf>>, q: Float32Array, n: number) {
  const withQ = await kernels.products(ring.hist, 2 * ring.used, q, n);
  const coef = ring.products.coefficients(
    ring.live.map((p) => p.slot),
    withQ,
    ring.gamma,
  );
  const out = new Float32Array(n);
  await kernels.combine(ring.hist, coef.subarray(0, 2 * ring.used), q, ring.gamma, out, n);
  return out;
}

describe('L-BFGS history in the compact form', () => {
  const n = 24;
  for (const [what, slots, count] of [
    ['a partly filled ring', 5, 3],
    ['a full ring', 5, 5],
    ['a ring that has wrapped (oldest pair not in slot 0)', 5, 8],
  ] as const) {
    it(`gives the two-loop recursion's H·q on ${what}`, async () => {
      const ring = await ringOf(jsHistoryKernels, n, slots, count, 11 + count);
      const q = Float32Array.from(randomVector(n, 3, -1, 1));
      const got = await compactHq(jsHistoryKernels, ring, q, n);
      const want = twoLoopReference(ring.live, Float64Array.from(q), ring.gamma);
      expect(relativeL2(got, want)).toBeLessThan(1e-5);
    });
  }

  it('onnxruntime kernels agree with the plain loops (float32 sums)', async () => {
    const ort = await loadOrt();
    const onnx = await onnxHistoryKernels(ort, 2);
    try {
      const big = 5000;
      const ring = await ringOf(jsHistoryKernels, big, 4, 6, 5);
      const q = Float32Array.from(randomVector(big, 9, -1, 1));
      const p64 = await jsHistoryKernels.products(ring.hist, 8, q, big);
      const p32 = await onnx.products(ring.hist, 8, q, big);
      expect(relativeL2(p32, p64)).toBeLessThan(1e-5);
      const coef = Float64Array.from([0.5, -1, 2, 0.25, 0, 3, -0.75, 1]);
      const a = new Float32Array(big);
      const b = new Float32Array(big);
      await jsHistoryKernels.combine(ring.hist, coef, q, 0.3, a, big);
      await onnx.combine(ring.hist, coef, q, 0.3, b, big);
      expect(relativeL2(b, a)).toBeLessThan(1e-6);
      expect(await onnx.products(ring.hist, 0, q, big)).toHaveLength(0);
    } finally {
      await onnx.release();
    }
  });

  it('L-BFGS on the onnxruntime kernels converges as on the plain loops', async () => {
    const ort = await loadOrt();
    const onnx = await onnxHistoryKernels(ort, 2);
    try {
      const dim = 60;
      const problem = quadratic(randomSpd(dim, 21, 0.05), randomVector(dim, 22, -2, 2));
      const plain = await lbfgs(asObjective(problem).f, new Float32Array(dim), { iterations: 200, learningRate: 1 });
      const native = await lbfgs(asObjective(problem).f, new Float32Array(dim), { iterations: 200, learningRate: 1, kernels: onnx });
      expect(native.final.loss).toBeLessThan(1e-9);
      expect(Math.abs(native.iterations - plain.iterations)).toBeLessThanOrEqual(Math.max(3, plain.iterations * 0.2));
    } finally {
      await onnx.release();
    }
  });

  it('survives pairs without curvature once the ring is full (the oldest is dropped, nothing stale read)', async () => {
    // A double well per coordinate, started on the hump; one trial per line search accepts
    // steps without the curvature condition, so some pairs have sᵀy ≤ 0 and are skipped.
    const dim = 8;
    const wells = (x: Float32Array, g: Float64Array) => {
      let f = 0;
      for (let i = 0; i < dim; i++) {
        const z = x[i] - 2 - 0.1 * i;
        f += (z * z - 1) ** 2 + 0.3 * z;
        g[i] = 4 * z * (z * z - 1) + 0.3;
      }
      return f;
    };
    const events: string[] = [];
    const spy: HistoryKernels = {
      products: async (h, rows, v, len) => {
        events.push(v.buffer === h.buffer ? 'pair' : 'direction');
        return jsHistoryKernels.products(h, rows, v, len);
      },
      combine: jsHistoryKernels.combine,
    };
    const x0 = Float32Array.from({ length: dim }, (_, i) => 2 + 0.1 * i + 0.01 * (i - 4));
    const r = await lbfgs(asObjective(wells).f, x0, { iterations: 100, learningRate: 1, history: 1, maxLineSearch: 1, kernels: spy });
    // Each kept pair costs two products: fewer kept pairs than iterations, and the first kept
    // pair came before the last iteration, so some pair was skipped with the ring (of one) full.
    const kept = events.filter((e) => e === 'pair').length / 2;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(r.iterations);
    expect(Number.isFinite(r.final.loss)).toBe(true);
    expect(r.final.loss).toBeLessThan(r.initial.loss - 1);
    expect(r.final.gradient.every(Number.isFinite)).toBe(true);
  });
});
