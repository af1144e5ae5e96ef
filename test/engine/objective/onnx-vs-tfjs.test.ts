import { afterAll, describe, expect, it } from 'vitest';
import type { Activation } from '../../../common/preset';
import type { Objective, ObjectiveSetup } from '../../../engine/objective/objective';
import { createOnnxObjectiveWith } from '../../../engine/objective/onnx-objective';
import { SHARED_WEIGHTS_MAX } from '../../../engine/objective/network';
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

  it('a layer over the size kept between renders, its W turned into spectral weights where it was drawn: loss and gradient', async () => {
    const large: SmallShape = { frames: 24, bins: 257, styleFrames: 20, filters: 4096, kernel: 11 };
    expect(large.kernel * large.bins * large.filters).toBeGreaterThan(SHARED_WEIGHTS_MAX);
    const setup = smallSetup(large, ALL_ON, 'relu', 8);
    const { onnx, tfjs } = await both(setup, 'frames');
    const x = randomSpectrogram(setup.frames * setup.bins, 20);
    const a = await onnx.evaluate(x);
    const b = await tfjs.evaluate(x);
    // Float32 sums over 11 × 257 inputs and 4096 filters: 3.2e-3 apart, the same to the last
    // bit whether W was turned where it was drawn or in a copy. A wrong transform is far off.
    expect(rel(a.loss, b.loss)).toBeLessThan(1e-2);
    expect(maxRelativeError(a.gradient, b.gradient)).toBeLessThan(1e-2);
  });

  it('features agree', async () => {
    const setup = smallSetup(MEDIUM, ALL_ON, 'relu', 7);
    const { onnx, tfjs } = await both(setup, 'frames');
    const x = randomSpectrogram(setup.frames * setup.bins, 19);
    expect(maxRelativeError(await onnx.features(x), await tfjs.features(x))).toBeLessThan(1e-3);
  });
});
