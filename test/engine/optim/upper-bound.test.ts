/**
 * Two-sided boxes: renders cap X = log1p|M| from above as well as at 0. With a diagonal
 * quadratic the constrained optimum is exactly the clamp of the free one.
 */
import { describe, expect, it } from 'vitest';
import { lbfgs } from '../../../engine/optim/lbfgs';
import { adam } from '../../../engine/optim/adam';
import { asObjective, quadratic, randomVector } from './problems';

const n = 24;
const diag = new Float64Array(n * n);
for (let i = 0; i < n; i++) diag[i * n + i] = 0.5 + (i % 5);
const c = randomVector(n, 11, -1, 3);
const exact = Array.from(c, (v) => Math.min(2, Math.max(0, v)));

describe('optimisers with lower and upper bounds', () => {
  it('L-BFGS lands on the clamped optimum and never leaves [0, 2]', async () => {
    expect(exact.filter((v) => v === 2).length).toBeGreaterThanOrEqual(2);
    expect(exact.filter((v) => v === 0).length).toBeGreaterThanOrEqual(2);
    const seen: number[] = [];
    const r = await lbfgs(asObjective(quadratic(diag, c)).f, new Float32Array(n).fill(1), {
      iterations: 100,
      learningRate: 1,
      lowerBound: 0,
      upperBound: 2,
      onIteration: (_i, _ev, x) => void seen.push(Math.min(...x), Math.max(...x)),
    });
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...seen)).toBeLessThanOrEqual(2);
    for (let i = 0; i < n; i++) expect(r.x[i]).toBeCloseTo(exact[i], 4);
  });

  it('Adam stays inside the box and approaches the same point', async () => {
    const r = await adam(asObjective(quadratic(diag, c)).f, new Float32Array(n).fill(1), { iterations: 600, learningRate: 0.05, lowerBound: 0, upperBound: 2 });
    expect(r.x.every((v) => v >= 0 && v <= 2)).toBe(true);
    for (let i = 0; i < n; i++) expect(Math.abs(r.x[i] - exact[i])).toBeLessThan(0.02);
  });

  it('refuses an empty box', async () => {
    await expect(lbfgs(asObjective(quadratic(diag, c)).f, new Float32Array(n), { iterations: 5, learningRate: 1, lowerBound: 1, upperBound: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
