import { describe, expect, it } from 'vitest';
import { GramophoneError, cancelled } from '../../../common/errors';
import { lbfgs } from '../../../engine/optim/lbfgs';
import { maxAbsDiff } from '../../helpers/compare';
import { asObjective, boxQuadraticSolution, quadratic, randomSpd, randomVector, rosenbrock } from './problems';

describe('L-BFGS', () => {
  it('solves Rosenbrock (4-D, shifted so the bound x ≥ 0 is inactive)', async () => {
    const obj = asObjective(rosenbrock(2)); // minimum at x = 3
    const x0 = Float32Array.from([0.8, 3, 0.8, 3]); // z = (−1.2, 1, −1.2, 1)
    const r = await lbfgs(obj.f, x0, { iterations: 300, learningRate: 1, lowerBound: 0 });
    expect(r.initial.loss).toBeGreaterThan(10);
    expect(r.final.loss).toBeLessThan(1e-8);
    expect(maxAbsDiff(r.x, [3, 3, 3, 3])).toBeLessThan(1e-3);
    expect(r.evaluations).toBe(obj.calls);
    expect([...x0]).toEqual([0.8, 3, 0.8, 3].map(Math.fround)); // input untouched
  });

  it('converges tightly on a random positive-definite quadratic', async () => {
    const n = 40;
    const a = randomSpd(n, 3);
    const c = randomVector(n, 4, -2, 2);
    const obj = asObjective(quadratic(a, c));
    const r = await lbfgs(obj.f, new Float32Array(n), { iterations: 200, learningRate: 1 });
    expect(maxAbsDiff(r.x, c)).toBeLessThan(1e-5);
    expect(r.final.loss).toBeLessThan(1e-10);
    // Far fewer iterations than plain gradient descent would need at this conditioning.
    expect(r.iterations).toBeLessThan(100);
  });

  it('finds an optimum on the bound x ≥ 0 (KKT: zero gradient inside, outward gradient at the bound)', async () => {
    const n = 20;
    const a = randomSpd(n, 5, 0.2);
    const c = randomVector(n, 6, -1, 1); // about half the unconstrained optimum is negative
    const exact = boxQuadraticSolution(a, c);
    const atBound = [...exact].filter((v) => v === 0).length;
    expect(atBound).toBeGreaterThan(2);
    const obj = asObjective(quadratic(a, c));
    const r = await lbfgs(
      obj.f,
      Float32Array.from({ length: n }, () => 0.5),
      { iterations: 300, learningRate: 1, lowerBound: 0 },
    );
    expect(r.x.every((v) => v >= 0)).toBe(true);
    expect(maxAbsDiff(r.x, exact)).toBeLessThan(1e-4);
    for (let i = 0; i < n; i++) {
      if (exact[i] === 0) {
        expect(r.x[i]).toBe(0);
        expect(r.final.gradient[i]).toBeGreaterThan(-1e-5);
      } else {
        expect(Math.abs(r.final.gradient[i])).toBeLessThan(1e-4);
      }
    }
  });

  it('survives NaN losses by shrinking the step', async () => {
    const inner = quadratic(Float64Array.from([1, 0, 0, 1]), Float64Array.from([2, 2]));
    const obj = asObjective((x, g) => (x[0] > 4 || x[1] > 4 ? NaN : inner(x, g)));
    // A first trial step of 1e4 lands deep in the NaN region.
    const r = await lbfgs(obj.f, Float32Array.from([0, 0]), { iterations: 50, learningRate: 1e4, lowerBound: 0 });
    expect(maxAbsDiff(r.x, [2, 2])).toBeLessThan(1e-5);
    expect(Number.isFinite(r.final.loss)).toBe(true);
  });

  it('copes with an objective that reuses its gradient buffer, bit-identically', async () => {
    const n = 30;
    const a = randomSpd(n, 7);
    const c = randomVector(n, 8, 0, 2);
    const run = (reuseBuffer: boolean) => lbfgs(asObjective(quadratic(a, c), { reuseBuffer }).f, new Float32Array(n), { iterations: 40, learningRate: 1, lowerBound: 0 });
    const [fresh, reused] = [await run(false), await run(true)];
    expect(Buffer.from(reused.x.buffer).equals(Buffer.from(fresh.x.buffer))).toBe(true);
    expect(reused.initial.gradient).not.toBe(reused.final.gradient);
    expect(maxAbsDiff(reused.x, c)).toBeLessThan(1e-5);
  });

  it('is deterministic', async () => {
    const run = () => lbfgs(asObjective(rosenbrock(1)).f, Float32Array.from([0.2, 0.4, 1.5, 0.1, 2]), { iterations: 60, learningRate: 1, lowerBound: 0 });
    const [a, b] = [await run(), await run()];
    expect(Buffer.from(a.x.buffer).equals(Buffer.from(b.x.buffer))).toBe(true);
    expect(a.evaluations).toBe(b.evaluations);
    expect(a.final.loss).toBe(b.final.loss);
  });

  it('reports each iteration with a falling loss, and a throwing callback stops it at once', async () => {
    const obj = asObjective(rosenbrock(2));
    const seen: number[] = [];
    let callsAtThrow = -1;
    const run = lbfgs(obj.f, Float32Array.from([0.8, 3, 0.8, 3]), {
      iterations: 100,
      learningRate: 1,
      lowerBound: 0,
      onIteration: async (i, ev) => {
        seen.push(ev.loss);
        expect(i).toBe(seen.length);
        if (i === 5) {
          callsAtThrow = obj.calls;
          throw cancelled();
        }
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toHaveLength(5);
    expect(obj.calls).toBe(callsAtThrow);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeLessThan(seen[i - 1]);
  });

  it('sizes its first step from a known loss floor: one evaluation where the unit step needs about ten', async () => {
    // A spectrogram-sized separable quadratic whose minimum is 0: ½ Σ d_i (x_i − c_i)².
    const n = 20_000;
    const c = randomVector(n, 9, 1, 2);
    const d = randomVector(n, 10, 0.5, 1.5);
    const separable = (x: Float32Array, g: Float64Array) => {
      let f = 0;
      for (let i = 0; i < n; i++) {
        g[i] = d[i] * (x[i] - c[i]);
        f += 0.5 * g[i] * (x[i] - c[i]);
      }
      return f;
    };
    const firstIteration = async (lossFloor: number | undefined) => {
      const obj = asObjective(separable);
      let calls = 0;
      const r = await lbfgs(obj.f, new Float32Array(n), {
        // Twelve iterations reach 1e-12 of the starting loss; past that only float32 noise is left.
        iterations: 12,
        learningRate: 1,
        lowerBound: 0,
        ...(lossFloor === undefined ? {} : { lossFloor }),
        onIteration: (i) => {
          if (i === 1) calls = obj.calls;
        },
      });
      return { calls, r };
    };
    const unit = await firstIteration(undefined);
    const floor = await firstIteration(0);
    // The starting evaluation and one trial, against the unit step's growth by 4× per trial.
    expect(floor.calls).toBe(2);
    expect(unit.calls).toBeGreaterThan(6);
    // As close to the minimum either way, with fewer evaluations in all.
    for (const { r } of [unit, floor]) {
      expect(r.iterations).toBe(12);
      expect(r.final.loss).toBeLessThan(1e-6 * r.initial.loss);
      expect(maxAbsDiff(r.x, c)).toBeLessThan(1e-3);
    }
    expect(floor.r.evaluations).toBeLessThan(unit.r.evaluations - 4);
    // A floor at or above the loss says nothing about the step: the unit step is taken.
    const above = await firstIteration(1e12);
    expect(above.calls).toBe(unit.calls);
  });

  it('stops early at a stationary point and refuses bad options', async () => {
    const obj = asObjective(quadratic(Float64Array.from([1]), Float64Array.from([1])));
    const r = await lbfgs(obj.f, Float32Array.from([1]), { iterations: 10, learningRate: 1 });
    expect(r.iterations).toBe(0);
    expect(r.evaluations).toBe(1);
    await expect(lbfgs(obj.f, Float32Array.from([1]), { iterations: -1, learningRate: 1 })).rejects.toBeInstanceOf(GramophoneError);
    await expect(lbfgs(obj.f, Float32Array.from([1]), { iterations: 5, learningRate: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(lbfgs(asObjective(() => NaN).f, Float32Array.from([1]), { iterations: 5, learningRate: 1 })).rejects.toThrow(/not a finite number/);
  });
});
