// The optimisers on the real objective (tfjs, default backend) at a small shape.
import { afterAll, describe, expect, it } from 'vitest';
import type { Preset } from '../../../common/preset';
import type { Objective, ObjectiveSetup } from '../../../engine/objective/objective';
import { createTfjsObjective } from '../../../engine/objective/tfjs-objective';
import { adam } from '../../../engine/optim/adam';
import { lbfgs } from '../../../engine/optim/lbfgs';
import { conv1dNetwork, randomSpectrogram, testPreset } from '../objective/tfjs-fixtures';

const F = 64;
const T = 48;
const setup = (weights: Partial<Preset['weights']>): ObjectiveSetup => ({
  frames: T,
  bins: F,
  styleFrames: 40,
  content: randomSpectrogram(T * F, 21, 0, 3),
  style: randomSpectrogram(40 * F, 22, 0, 3),
  preset: testPreset(weights, conv1dNetwork(64, 5, 'relu', 5)),
  binHz: null,
  frameRate: 86,
});
const STYLE_ONLY = { content: 0, style: 1, energy: 0, timbre: 0 };

describe('style transfer on random spectrograms (F 64, N 64, K 5)', () => {
  const opened: Objective[] = [];
  afterAll(() => opened.forEach((o) => o.dispose()));
  const open = async (w: Partial<Preset['weights']>) => {
    const s = setup(w);
    const o = await createTfjsObjective(s);
    opened.push(o);
    return { s, o, f: (x: Float32Array) => o.evaluate(x) };
  };

  it('L-BFGS cuts the style loss to ≤ 0.2 of its start within 50 iterations, keeping X ≥ 0', async () => {
    const { s, f } = await open(STYLE_ONLY);
    const r = await lbfgs(f, s.content, { iterations: 50, learningRate: 1, lowerBound: 0 });
    expect(r.iterations).toBeLessThanOrEqual(50);
    expect(r.final.terms.style / r.initial.terms.style).toBeLessThanOrEqual(0.2);
    expect(r.x.every((v) => v >= 0)).toBe(true);
  });

  it('Adam lowers the style loss too', async () => {
    const { s, f } = await open(STYLE_ONLY);
    const r = await adam(f, s.content, { iterations: 50, learningRate: 0.05, lowerBound: 0 });
    expect(r.final.terms.style / r.initial.terms.style).toBeLessThan(0.2);
    expect(r.x.every((v) => v >= 0)).toBe(true);
  });

  it('L-BFGS on all four terms is bit-identical across runs', async () => {
    const all = { content: 1, style: 1, energy: 1, timbre: 1 };
    const [a, b] = [await open(all), await open(all)];
    const run = (o: typeof a) => lbfgs(o.f, o.s.content, { iterations: 8, learningRate: 1, lowerBound: 0 });
    const [ra, rb] = [await run(a), await run(b)];
    expect(ra.final.loss).toBeLessThan(ra.initial.loss);
    expect(Buffer.from(ra.x.buffer).equals(Buffer.from(rb.x.buffer))).toBe(true);
  });
});
