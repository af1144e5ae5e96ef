/**
 * The linear form of a network that is one conv1d with no activation (onnx/linear-conv.ts):
 * where it applies, and that it gives the loss, every term and the gradient of the conv
 * path and of tfjs autodiff.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { builtinPreset } from '../../../common/preset';
import type { Objective } from '../../../engine/objective/objective';
import { createOnnxObjectiveWith } from '../../../engine/objective/onnx-objective';
import { linearConv } from '../../../engine/objective/onnx/linear-conv';
import { planObjective } from '../../../engine/objective/plan';
import { createTfjsObjectiveWith } from '../../../engine/objective/tfjs-objective';
import { ALL_ON, maxRelativeError, randomSpectrogram, setupFor, smallSetup, type SmallShape } from './tfjs-fixtures';

/** K·F = 51 < 200 filters, and few enough positions for the Gram's "frames" form. */
const LINEAR: SmallShape = { frames: 36, bins: 17, styleFrames: 29, filters: 200, kernel: 3 };

const opened: Objective[] = [];
afterAll(() => opened.forEach((o) => o.dispose()));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

describe('the linear form of a conv1d without activation', () => {
  it('applies to "alishdipani conv1d" on 10 s and 60 s, not to a network with an activation, a kernel as wide as the filters, or many positions', () => {
    const setupOf = (name: string, frames: number) => setupFor(builtinPreset(name)!, frames, 1025, 259);
    expect(linearConv(planObjective(setupOf('alishdipani conv1d', 431)))).toMatchObject({ kernel: 3, bins: 1025, filters: 4096, rows: 429, styleRows: 257 });
    expect(linearConv(planObjective(setupOf('Grinstein content-init', 431)))).toBeNull();
    // 60 s still takes it (r + rs < N); 100 s does not: the Gram's "filters" form is the
    // cheaper there, and M's would cost (K·F)³.
    expect(linearConv(planObjective(setupOf('alishdipani conv1d', 2600)))).not.toBeNull();
    expect(linearConv(planObjective(setupOf('alishdipani conv1d', 4300)))).toBeNull();
    expect(linearConv(planObjective(smallSetup({ ...LINEAR, filters: 40 }, ALL_ON, 'none')))).toBeNull();
    expect(linearConv(planObjective(smallSetup(LINEAR, ALL_ON, 'none')))).not.toBeNull();
  });

  for (const [name, weights] of [
    ['all four terms', ALL_ON],
    ['style only', { content: 0, style: 1, energy: 0, timbre: 0 }],
  ] as const) {
    it(`${name}: loss, terms and gradient as the conv path and tfjs autodiff`, async () => {
      const setup = smallSetup(LINEAR, weights, 'none', 9);
      const fast = await createOnnxObjectiveWith(setup);
      const conv = await createOnnxObjectiveWith(setup, { linear: false });
      const tfjs = await createTfjsObjectiveWith(setup, { kernels: 'autodiff' });
      opened.push(fast, conv, tfjs);
      const x = randomSpectrogram(setup.frames * setup.bins, 23);
      const [a, b, c] = [await fast.evaluate(x), await conv.evaluate(x), await tfjs.evaluate(x)];
      for (const other of [b, c]) {
        expect(rel(a.loss, other.loss)).toBeLessThan(1e-3);
        for (const t of ['content', 'style', 'energy', 'timbre'] as const) expect(rel(a.terms[t], other.terms[t]), t).toBeLessThan(1e-3);
        expect(maxRelativeError(a.gradient, other.gradient)).toBeLessThan(1e-2);
      }
      expect(a.terms.style).toBeGreaterThan(0);
      expect(a.terms.content).toBeGreaterThan(0);
    });
  }
});
