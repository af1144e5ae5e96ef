import { afterAll, describe, expect, it } from 'vitest';
import type { Activation } from '../../../common/preset';
import type { Objective, ObjectiveSetup } from '../../../engine/objective/objective';
import { createOnnxObjectiveWith } from '../../../engine/objective/onnx-objective';
import { createTfjsObjectiveWith } from '../../../engine/objective/tfjs-objective';
import { ALL_ON, WEIGHTINGS, maxRelativeError, randomSpectrogram, smallSetup, type SmallShape } from './tfjs-fixtures';

/** Big enough that both Gram forms and the spectral conv (several blocks, a cut last block) do real work, small enough for tfjs autodiff. */
const MEDIUM: SmallShape = { frames: 36, bins: 17, styleFrames: 29, filters: 40, kernel: 5 };

const opened: Objective[] = [];
afterAll(() => opened.forEach((o) => o.dispose()));

async function both(setup: ObjectiveSetup, gram: 'frames' | 'filters') {
  const onnx = await createOnnxObjectiveWith(setup, { gram });
  // tfjs's own registered gradients (conv1d, transposed matMul): the autodiff oracle.
  const tfjs = await createTfjsObjectiveWith(setup, { kernels: 'autodiff' });
  opened.push(onnx, tfjs);
  return { onnx, tfjs };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

describe('onnx objective vs tfjs autodiff', () => {
  for (const [name, weights] of Object.entries(WEIGHTINGS)) {
    for (const gram of ['frames', 'filters'] as const) {
      it(`${name}, Gram form "${gram}": loss, all four terms and the whole gradient`, async () => {
        const setup = smallSetup(MEDIUM, weights, 'relu', 5);
        const { onnx, tfjs } = await both(setup, gram);
        const x = randomSpectrogram(setup.frames * setup.bins, 17);
        const a = await onnx.evaluate(x);
        const b = await tfjs.evaluate(x);
        expect(rel(a.loss, b.loss)).toBeLessThan(1e-3);
        for (const t of ['content', 'style', 'energy', 'timbre'] as const) expect(rel(a.terms[t], b.terms[t])).toBeLessThan(1e-3);
        expect(maxRelativeError(a.gradient, b.gradient)).toBeLessThan(1e-2);
      });
    }
  }

  for (const act of ['selu', 'tanh'] as const satisfies readonly Activation[]) {
    it(`${act}: loss and gradient`, async () => {
      const setup = smallSetup(MEDIUM, ALL_ON, act, 6);
      const { onnx, tfjs } = await both(setup, 'filters');
      const x = randomSpectrogram(setup.frames * setup.bins, 18, -1, 1.5);
      const a = await onnx.evaluate(x);
      const b = await tfjs.evaluate(x);
      expect(rel(a.loss, b.loss)).toBeLessThan(1e-3);
      expect(maxRelativeError(a.gradient, b.gradient)).toBeLessThan(1e-2);
    });
  }

  it('features agree', async () => {
    const setup = smallSetup(MEDIUM, ALL_ON, 'relu', 7);
    const { onnx, tfjs } = await both(setup, 'frames');
    const x = randomSpectrogram(setup.frames * setup.bins, 19);
    expect(maxRelativeError(await onnx.features(x), await tfjs.features(x))).toBeLessThan(1e-3);
  });
});
