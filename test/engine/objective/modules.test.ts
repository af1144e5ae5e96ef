/**
 * Every layer and statistic module, through both backends: loss and terms against the
 * float64 reference running the same module code, gradients against its central finite
 * differences, and onnx against tfjs on the whole gradient.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Layer, Preset, PresetInput } from '../../../common/preset';
import type { Objective, ObjectiveSetup } from '../../../engine/objective/objective';
import { createOnnxObjective } from '../../../engine/objective/onnx-objective';
import { createTfjsObjective } from '../../../engine/objective/tfjs-objective';
import { referenceGradient, referenceObjective } from './reference-ops';
import { maxRelativeError, randomSpectrogram, sampleIndices, setupFor, testPreset } from './tfjs-fixtures';

const opened: Objective[] = [];
afterAll(() => opened.forEach((o) => o.dispose()));

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

interface Case {
  layers: Layer[];
  weights: Partial<Preset['weights']>;
  extra?: Partial<PresetInput>;
  shape?: [frames: number, bins: number, styleFrames: number];
}

const conv2d = (channels: number, kt: number, kf: number, padding: 'same' | 'valid' = 'same'): Layer => ({ kind: 'conv2d', channels, kernelTime: kt, kernelFreq: kf, padding });
const act = (fn: 'relu' | 'tanh' | 'selu' | 'leakyRelu' | 'none'): Layer => ({ kind: 'activation', fn });
const pool = (mode: 'max' | 'avg', time = 2, freq = 2): Layer => ({ kind: 'pool', mode, time, freq });

const CASES: Record<string, Case> = {
  'conv2d same → relu → max pool → conv2d valid → tanh; style on two layers, content on the last': {
    layers: [conv2d(3, 3, 3), act('relu'), pool('max'), conv2d(4, 2, 3, 'valid'), act('tanh')],
    weights: { content: 1, style: 2, energy: 0.5, timbre: 0.5 },
    extra: { statistics: { content: { layers: [5] }, style: { layers: [2, 5], layerWeights: [1, 3] } } },
    shape: [13, 11, 15],
  },
  'conv2d valid → leaky relu → average pool with a dropped edge': {
    layers: [conv2d(2, 3, 2, 'valid'), act('leakyRelu'), pool('avg', 2, 3)],
    weights: { content: 0.7, style: 1.3 },
    shape: [12, 10, 9],
  },
  'conv2d → selu → conv1d over channels × bins (map to seq)': {
    layers: [conv2d(2, 3, 3), act('selu'), { kind: 'conv1d', filters: 5, kernel: 3 }, act('relu')],
    weights: { content: 1, style: 1 },
    shape: [10, 6, 12],
  },
  'conv1d without an activation (alishdipani)': {
    layers: [{ kind: 'conv1d', filters: 6, kernel: 3 }, act('none')],
    weights: { style: 1, content: 0.3 },
  },
  'texture statistics alone': {
    layers: [{ kind: 'conv1d', filters: 4, kernel: 1 }, act('relu')],
    weights: { texture: 1 },
    extra: { statistics: { texture: { bands: 5, modulationBands: 3, compression: 0.3 } } },
    shape: [24, 12, 30],
  },
  'frame-wise spectral envelope alone': {
    layers: [{ kind: 'conv1d', filters: 4, kernel: 1 }, act('relu')],
    weights: { envelope: 1 },
    extra: { statistics: { envelope: { coefficients: 6 } } },
  },
  'energy from the content (keeps the rhythm) with timbre': {
    layers: [{ kind: 'conv1d', filters: 4, kernel: 2 }, act('relu')],
    weights: { energy: 1, timbre: 0.5 },
    extra: { statistics: { energy: { target: 'content' } } },
  },
  'statistics of pooled conv1d features (seq pooling over time)': {
    layers: [{ kind: 'conv1d', filters: 6, kernel: 2 }, act('relu'), pool('max', 2, 1)],
    weights: { content: 1, style: 1 },
  },
};

function setupOf(c: Case, seed: number): ObjectiveSetup {
  const [frames, bins, styleFrames] = c.shape ?? [14, 9, 17];
  return setupFor(testPreset(c.weights, { layers: c.layers, seed, weights: 'random' }, c.extra), frames, bins, styleFrames, seed);
}

describe('modules on both backends vs the float64 reference', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(
      name,
      async () => {
        const setup = setupOf(c, 3);
        const ref = referenceObjective(setup);
        const x = randomSpectrogram(setup.frames * setup.bins, 77, 0, 2);
        const r = ref(x);
        expect(r.loss).toBeGreaterThan(1e-6);
        const idx = sampleIndices(x.length, 20, 5);
        const fd = referenceGradient(ref, x, idx);
        expect(Math.max(...fd.map(Math.abs))).toBeGreaterThan(1e-7);
        const onnx = await createOnnxObjective(setup);
        const tfjs = await createTfjsObjective(setup);
        opened.push(onnx, tfjs);
        const a = await onnx.evaluate(x);
        const ga = Float32Array.from(a.gradient);
        const b = await tfjs.evaluate(x);
        for (const [label, e, g] of [
          ['onnx', a, ga],
          ['tfjs', b, b.gradient],
        ] as const) {
          expect(rel(e.loss, r.loss), `${label} loss`).toBeLessThan(1e-3);
          for (const t of Object.keys(r.terms) as (keyof typeof r.terms)[]) {
            expect(Math.abs(e.terms[t] - r.terms[t]), `${label} ${t}`).toBeLessThan(1e-3 * Math.max(r.terms[t], 1e-2));
          }
          expect(
            maxRelativeError(
              idx.map((i) => g[i]),
              fd,
            ),
            `${label} gradient`,
          ).toBeLessThan(1e-2);
        }
        expect(maxRelativeError(ga, b.gradient), 'onnx vs tfjs gradient').toBeLessThan(1e-2);
      },
      60_000,
    );
  }
});
