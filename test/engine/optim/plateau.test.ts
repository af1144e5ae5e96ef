import { describe, expect, it } from 'vitest';
import { adam } from '../../../engine/optim/adam';
import { lbfgs } from '../../../engine/optim/lbfgs';
import { plateauTracker } from '../../../engine/optim/plateau';
import { asObjective, randomSpd, randomVector, quadratic, rosenbrock } from './problems';

describe('plateau stop', () => {
  it('says flat once the loss fell by at most the tolerance over the window, never before the window is full', () => {
    const t = plateauTracker({ window: 2, tolerance: 0.01 });
    expect([100, 50, 40, 39.9, 39.8].map((l) => t.flat(l))).toEqual([false, false, false, false, true]);
    expect(plateauTracker(undefined).flat(1)).toBe(false);
    expect(() => plateauTracker({ window: 0, tolerance: 0.1 })).toThrow(/window/);
    expect(() => plateauTracker({ window: 3, tolerance: 1 })).toThrow(/tolerance/);
  });

  it('ends L-BFGS early with reason "plateau", its loss within the tolerance of where the full run ends', async () => {
    const obj = asObjective(rosenbrock(4));
    const x0 = Float32Array.from([0.8, 3, 0.8, 3, 0.8, 3, 0.8, 3]);
    const full = await lbfgs(obj.f, x0, { iterations: 300, learningRate: 1, lowerBound: 0 });
    const early = await lbfgs(obj.f, x0, { iterations: 300, learningRate: 1, lowerBound: 0, plateau: { window: 5, tolerance: 0.2 } });
    expect(early.stopReason).toBe('plateau');
    expect(early.iterations).toBeLessThan(full.iterations);
    // The same path: the early run is a prefix of the full one.
    expect(early.initial.loss).toBe(full.initial.loss);
    expect(early.final.loss).toBeGreaterThanOrEqual(full.final.loss);
  });

  it('ends Adam early too, and a run that never flattens runs every iteration', async () => {
    const n = 10;
    const obj = asObjective(quadratic(randomSpd(n, 7), randomVector(n, 8, -1, 1)));
    const early = await adam(obj.f, new Float32Array(n), { iterations: 2000, learningRate: 0.05, plateau: { window: 20, tolerance: 1e-3 } });
    expect(early.stopReason).toBe('plateau');
    expect(early.iterations).toBeLessThan(2000);
    expect(early.evaluations).toBe(early.iterations + 1);
    const steep = await adam(obj.f, new Float32Array(n), { iterations: 5, learningRate: 0.05, plateau: { window: 2, tolerance: 0 } });
    expect(steep).toMatchObject({ iterations: 5, stopReason: 'iterations' });
  });
});
