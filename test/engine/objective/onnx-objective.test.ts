import { afterAll, describe, expect, it } from 'vitest';
import { GramophoneError } from '../../../common/errors';
import type { Activation } from '../../../common/preset';
import type { Objective, ObjectiveSetup } from '../../../engine/objective/objective';
import { createOnnxObjective, createOnnxObjectiveWith } from '../../../engine/objective/onnx-objective';
import { probeOnnx } from '../../../engine/objective/onnx/runtime';
import { gramMode, type GramMode } from '../../../engine/objective/onnx/style-gram';
import { conv1dOf, gradientError, referenceFeatures, referenceLoss } from './reference-loss';
import { ALL_ON, TINY, WEIGHTINGS, maxRelativeError, randomSpectrogram, smallSetup, type SmallShape } from './tfjs-fixtures';

const opened: Objective[] = [];
afterAll(() => opened.forEach((o) => o.dispose()));

async function onnx(setup: ObjectiveSetup, gram?: GramMode): Promise<Objective> {
  const o = await createOnnxObjectiveWith(setup, { gram });
  opened.push(o);
  return o;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

/** Loss, every term and the gradient at sampled coordinates against the float64 plain-loop reference. */
async function checkAgainstReference(setup: ObjectiveSetup, gram?: GramMode, seed = 7) {
  const o = await onnx(setup, gram);
  const x = randomSpectrogram(setup.frames * setup.bins, seed);
  const e = await o.evaluate(x);
  const ref = referenceLoss(setup, x);
  expect(rel(e.loss, ref.loss)).toBeLessThan(1e-4);
  for (const t of ['content', 'style', 'energy', 'timbre'] as const) {
    // Terms are reported whatever their weight, so every term is checked in every weighting.
    expect(Math.abs(e.terms[t] - ref.terms[t])).toBeLessThan(1e-4 * Math.max(ref.terms[t], 1e-2));
  }
  expect(gradientError(setup, x, e.gradient, 24, seed + 1)).toBeLessThan(1e-2);
  return { o, x, e };
}

describe('onnx objective vs the float64 reference and finite differences', () => {
  it('loads here', async () => {
    const p = await probeOnnx();
    expect(p.available, p.detail).toBe(true);
    expect(p.detail).toMatch(/onnxruntime-node \d+\.\d+\.\d+ cpu, \d+ threads/);
  });

  for (const mode of ['frames', 'filters'] as const) {
    for (const [name, weights] of Object.entries(WEIGHTINGS)) {
      it(`${name} term alone / combined, Gram form "${mode}"`, async () => {
        await checkAgainstReference(smallSetup(TINY, weights), mode);
      });
    }
  }

  for (const act of ['relu', 'selu', 'tanh'] as const satisfies readonly Activation[]) {
    it(`activation ${act}, all four terms`, async () => {
      // Centred inputs put pre-activations on both sides of 0, so both branches of selu/relu are hit.
      const setup = smallSetup(TINY, ALL_ON, act, 3);
      const o = await onnx(setup);
      const x = randomSpectrogram(setup.frames * setup.bins, 11, -1, 1);
      const e = await o.evaluate(x);
      expect(rel(e.loss, referenceLoss(setup, x).loss)).toBeLessThan(1e-4);
      expect(gradientError(setup, x, e.gradient, 24, 5)).toBeLessThan(1e-2);
    });
  }

  const odd: Record<string, SmallShape> = {
    "T' = 1 (frames = kernel)": { frames: 4, bins: 6, styleFrames: 9, filters: 5, kernel: 4 },
    'K = 1': { frames: 10, bins: 7, styleFrames: 6, filters: 8, kernel: 1 },
    'N = 1': { frames: 12, bins: 5, styleFrames: 15, filters: 1, kernel: 3 },
    'style shorter than content': { frames: 20, bins: 6, styleFrames: 5, filters: 9, kernel: 2 },
    'one bin': { frames: 9, bins: 1, styleFrames: 11, filters: 4, kernel: 3 },
  };
  for (const [name, shape] of Object.entries(odd)) {
    for (const mode of ['frames', 'filters'] as const) {
      it(`odd shape: ${name}, "${mode}"`, async () => {
        await checkAgainstReference(smallSetup(shape, WEIGHTINGS.combined, 'relu', 2), mode, 13);
      });
    }
  }
});

describe('onnx objective behaviour', () => {
  it('picks the cheaper Gram form: frames when T′ + Ts′ ≪ N, filters otherwise', () => {
    expect(gramMode(421, 421, 4096)).toBe('frames');
    expect(gramMode(852, 852, 512)).toBe('filters');
  });

  it('the "frames" Gram form (a difference of sums) stays accurate near the style', async () => {
    const shape: SmallShape = { frames: 40, bins: 64, styleFrames: 40, filters: 256, kernel: 5 };
    const base = smallSetup(shape, WEIGHTINGS.style, 'relu', 4);
    const setup = { ...base, style: base.content };
    // Ls ≈ 1e-6 here; the float32 floor of the frames form is ≈ 1e-8 of ‖Gs‖² (its gradient has no such floor).
    const x = Float32Array.from(setup.content, (v, i) => v + 1e-2 * Math.sin(i));
    const [byFrames, byFilters] = [await onnx(setup, 'frames'), await onnx(setup, 'filters')];
    const a = (await byFrames.evaluate(x)).terms.style;
    const b = (await byFilters.evaluate(x)).terms.style;
    expect(b).toBeGreaterThan(0);
    expect(b).toBeLessThan(1e-4);
    expect(rel(a, b)).toBeLessThan(0.05);
    expect((await byFrames.evaluate(setup.content)).terms.style).toBeLessThan(1e-7);
  });

  it('is zero at X = content with only the content term, and repeated calls agree', async () => {
    const setup = smallSetup(TINY, WEIGHTINGS.content);
    const o = await onnx(setup);
    const e1 = await o.evaluate(setup.content);
    expect(e1.loss).toBe(0);
    expect(Math.max(...e1.gradient.map(Math.abs))).toBe(0);
    const x = randomSpectrogram(setup.content.length, 99);
    const g1 = Float32Array.from((await o.evaluate(x)).gradient);
    await o.evaluate(setup.content);
    const g2 = (await o.evaluate(x)).gradient;
    expect(Array.from(g2)).toEqual(Array.from(g1));
  });

  it('reads X from a subarray of a larger buffer', async () => {
    const setup = smallSetup(TINY, ALL_ON);
    const o = await onnx(setup);
    const n = setup.frames * setup.bins;
    const big = randomSpectrogram(n + 10, 4);
    const view = big.subarray(5, 5 + n);
    const a = await o.evaluate(view);
    const loss = a.loss;
    const g = Float32Array.from(a.gradient);
    const b = await o.evaluate(Float32Array.from(view));
    // Not bitwise: the kernels' vector paths depend on the buffer's alignment.
    expect(rel(b.loss, loss)).toBeLessThan(1e-6);
    expect(maxRelativeError(b.gradient, g)).toBeLessThan(1e-5);
  });

  it('features() is A(X) for any frame count', async () => {
    const setup = smallSetup(TINY, ALL_ON, 'tanh');
    const o = await onnx(setup);
    const { net, w } = conv1dOf(setup);
    for (const frames of [setup.frames, 5]) {
      const x = randomSpectrogram(frames * setup.bins, frames);
      const a = await o.features(x);
      const ref = referenceFeatures(x, frames, setup.bins, w, net);
      expect(a.length).toBe(ref.length);
      expect(maxRelativeError(a, ref)).toBeLessThan(1e-4);
    }
  });

  it('refuses a content shorter than the kernel, wrong sizes, and use after dispose', async () => {
    const setup = smallSetup({ ...TINY, frames: 2 }, ALL_ON);
    await expect(createOnnxObjective(setup)).rejects.toThrow(/content is too short/);
    await expect(createOnnxObjective({ ...smallSetup(TINY, ALL_ON), styleFrames: 2, style: new Float32Array(2 * TINY.bins) })).rejects.toThrow(/style is too short/);
    const o = await createOnnxObjective(smallSetup(TINY, ALL_ON));
    await expect(o.evaluate(new Float32Array(3))).rejects.toBeInstanceOf(GramophoneError);
    o.dispose();
    await expect(o.evaluate(new Float32Array(TINY.frames * TINY.bins))).rejects.toThrow(/disposed/);
  });

  it('all weights 0: loss and gradient 0, terms still reported', async () => {
    const setup = smallSetup(TINY, {});
    const o = await onnx(setup);
    const x = randomSpectrogram(setup.frames * setup.bins, 21);
    const e = await o.evaluate(x);
    expect(e.loss).toBe(0);
    expect(e.gradient.every((v) => v === 0)).toBe(true);
    const ref = referenceLoss(setup, x);
    expect(rel(e.terms.style, ref.terms.style)).toBeLessThan(1e-4);
    expect(rel(e.terms.content, ref.terms.content)).toBeLessThan(1e-4);
  });

  it('a silent style gives finite terms (normalisers carry ε)', async () => {
    const setup = { ...smallSetup(TINY, ALL_ON), style: new Float32Array(TINY.styleFrames * TINY.bins) };
    const o = await onnx(setup);
    const e = await o.evaluate(randomSpectrogram(TINY.frames * TINY.bins, 8));
    expect(Number.isFinite(e.loss)).toBe(true);
    expect(e.gradient.every(Number.isFinite)).toBe(true);
  });
});
