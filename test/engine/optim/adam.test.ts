import { describe, expect, it } from 'vitest';
import { cancelled } from '../../../common/errors';
import { adam } from '../../../engine/optim/adam';
import { maxAbsDiff } from '../../helpers/compare';
import { asObjective, boxQuadraticSolution, quadratic, randomSpd, randomVector, rosenbrock } from './problems';

describe('Adam', () => {
  it('lowers Rosenbrock a lot', async () => {
    const obj = asObjective(rosenbrock(2));
    const r = await adam(obj.f, Float32Array.from([0.8, 3, 0.8, 3]), { iterations: 3000, learningRate: 0.02, lowerBound: 0 });
    expect(r.final.loss).toBeLessThan(1e-3 * r.initial.loss);
    expect(r.iterations).toBe(3000);
    expect(r.evaluations).toBe(3001);
    expect(obj.calls).toBe(3001);
  });

  it('reaches the bound-constrained optimum of a quadratic, never leaving the box', async () => {
    const n = 20;
    const a = randomSpd(n, 5, 0.2);
    const c = randomVector(n, 6, -1, 1);
    const exact = boxQuadraticSolution(a, c);
    let outside = 0;
    const r = await adam(
      asObjective(quadratic(a, c)).f,
      Float32Array.from({ length: n }, () => 0.5),
      {
        iterations: 4000,
        learningRate: 0.01,
        lowerBound: 0,
        onIteration: (_i, _ev, x) => {
          outside += x.filter((v) => v < 0).length;
        },
      },
    );
    expect(outside).toBe(0);
    expect(maxAbsDiff(r.x, exact)).toBeLessThan(1e-2);
  });

  it('takes back a step that lands on a NaN loss and retries smaller', async () => {
    const inner = quadratic(Float64Array.from([1, 0, 0, 1]), Float64Array.from([2, 2]));
    const obj = asObjective((x, g) => (x[0] > 4 || x[1] > 4 ? NaN : inner(x, g)));
    const r = await adam(obj.f, Float32Array.from([0, 0]), { iterations: 300, learningRate: 10, lowerBound: 0 });
    expect(obj.calls).toBeGreaterThan(301);
    expect(Number.isFinite(r.final.loss)).toBe(true);
    expect(r.final.loss).toBeLessThan(1e-2 * r.initial.loss);
  });

  it('is deterministic, copes with a reused gradient buffer, and leaves x0 alone', async () => {
    const n = 10;
    const a = randomSpd(n, 9);
    const c = randomVector(n, 10, 0, 2);
    const x0 = Float32Array.from({ length: n }, (_, i) => i / n);
    const copy = Float32Array.from(x0);
    const run = (reuseBuffer: boolean) => adam(asObjective(quadratic(a, c), { reuseBuffer }).f, x0, { iterations: 100, learningRate: 0.05, lowerBound: 0 });
    const [p, q] = [await run(false), await run(true)];
    expect(Buffer.from(p.x.buffer).equals(Buffer.from(q.x.buffer))).toBe(true);
    expect(q.initial.gradient).not.toBe(q.final.gradient);
    expect(q.initial.loss).toBeGreaterThan(q.final.loss);
    expect(x0).toEqual(copy);
  });

  it('a throwing callback stops it at once', async () => {
    const obj = asObjective(rosenbrock(2));
    let callsAtThrow = -1;
    const run = adam(obj.f, Float32Array.from([0.8, 3]), {
      iterations: 100,
      learningRate: 0.01,
      onIteration: (i) => {
        if (i === 3) {
          callsAtThrow = obj.calls;
          throw cancelled();
        }
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(obj.calls).toBe(callsAtThrow);
    expect(callsAtThrow).toBe(4);
  });

  it('refuses bad options', async () => {
    const f = asObjective(rosenbrock(0)).f;
    await expect(adam(f, Float32Array.from([1, 1]), { iterations: 5, learningRate: -1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(adam(f, Float32Array.from([1, 1]), { iterations: 5, learningRate: 0.1, beta1: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
