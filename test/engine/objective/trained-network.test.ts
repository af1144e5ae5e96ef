/**
 * The trained instrument network (assets/networks/instrument-cnn-v1): the engine's forward
 * pass through its weights equals PyTorch's on the fixture the training script wrote, on
 * both backends; stacks it does not fit and damaged files are refused in words; the asset
 * and its provenance say what they are.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { GramophoneError } from '../../../common/errors';
import { TRAINED_NETWORKS, builtinPreset, type Layer, type Preset } from '../../../common/preset';
import { networkWeights } from '../../../engine/objective/network';
import type { Objective, ObjectiveSetup } from '../../../engine/objective/objective';
import { createOnnxObjective } from '../../../engine/objective/onnx-objective';
import { createTfjsObjective } from '../../../engine/objective/tfjs-objective';
import { networksDir, parseTrainedNetwork, trainedTensors } from '../../../engine/objective/trained-network';
import { ROOT } from '../../helpers/demo';

const NAME = 'instrument-cnn-v1';
const TRAINED = builtinPreset('Verma & Smith (trained)')!;

const float32 = (b64: string) => {
  const bytes = Buffer.from(b64, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.length / 4 }, (_v, i) => view.getFloat32(4 * i, true));
};

interface Fixture {
  layer: number;
  input: { shape: [number, number]; data: string };
  output: { shape: [number, number, number]; data: string };
}
const fixture = JSON.parse(readFileSync(path.join(ROOT, `test/fixtures/networks/${NAME}.forward.json`), 'utf8')) as Fixture;

const opened: Objective[] = [];
afterAll(() => opened.forEach((o) => o.dispose()));

describe('the trained instrument network', () => {
  const [frames, bins] = fixture.input.shape;
  const x = float32(fixture.input.data);
  const expected = float32(fixture.output.data);

  for (const [backend, create] of [
    ['onnx', createOnnxObjective],
    ['tfjs', createTfjsObjective],
  ] as const) {
    it(`runs as PyTorch ran it: layer ${fixture.layer} on the fixture, ${backend}`, async () => {
      expect(TRAINED.statistics.content.layers).toEqual([fixture.layer]);
      const setup: ObjectiveSetup = {
        frames,
        bins,
        styleFrames: frames,
        content: x,
        style: x,
        preset: TRAINED,
        binHz: Float32Array.from({ length: bins }, (_v, k) => k * 31.25),
        frameRate: 100,
      };
      const objective = await create(setup);
      opened.push(objective);
      const got = await objective.features(x);
      expect(got.length).toBe(expected.length);
      let scale = 0;
      let worst = 0;
      for (let i = 0; i < expected.length; i++) {
        scale = Math.max(scale, Math.abs(expected[i]));
        worst = Math.max(worst, Math.abs(got[i] - expected[i]));
      }
      // A real activation map (not all zero after the ReLUs), equal to float32 rounding.
      expect(scale).toBeGreaterThan(0.01);
      expect(expected.filter((v) => v > 0).length).toBeGreaterThan(expected.length / 20);
      expect(worst / scale).toBeLessThan(1e-4);
    }, 60_000);
  }

  it('takes its weights from the file, unlike the random preset, and the same every time', () => {
    const bins = 257;
    const trained = networkWeights(TRAINED.network, bins);
    const random = networkWeights(builtinPreset('Verma & Smith')!.network, bins);
    const tensors = trainedTensors(NAME);
    expect(trained.map((p) => p.id)).toEqual(['layer1', 'layer3', 'layer6', 'layer8', 'layer11', 'layer13']);
    expect(trained.map((p) => p.shape)).toEqual(random.map((p) => p.shape));
    trained.forEach((p, k) => expect(p.data).toEqual(tensors[k].data));
    expect(trained[0].data).not.toEqual(random[0].data);
    // Only the layers a plan needs, and a copy a backend may change in place.
    const firstTwo = networkWeights(TRAINED.network, bins, 4);
    expect(firstTwo.map((p) => p.id)).toEqual(['layer1', 'layer3']);
    firstTwo[0].data.fill(0);
    expect(trainedTensors(NAME)[0].data).toEqual(trained[0].data);
  });

  it('refuses a stack it does not fit, saying which layer and why (INVALID_INPUT)', () => {
    const withLayers = (layers: Layer[]): Preset['network'] => ({ ...TRAINED.network, layers });
    const wider = TRAINED.network.layers.map((l, i) => (i === 2 && l.kind === 'conv2d' ? { ...l, channels: 24 } : l));
    const extra: Layer[] = [...TRAINED.network.layers, { kind: 'conv2d', channels: 8, kernelTime: 3, kernelFreq: 3, padding: 'same' }];
    const conv1d: Layer[] = [{ kind: 'conv1d', filters: 16, kernel: 3 }, ...TRAINED.network.layers.slice(1)];
    const cases: [Layer[], RegExp][] = [
      [wider, /Layer 3 \(conv2d\) needs weights of shape \[24 × 16 × 3 × 3\], but the trained instrument net's layer 2 with weights has \[16 × 16 × 3 × 3\]/],
      [extra, /has 6 layers with weights, but this network has 7/],
      [conv1d, /Layer 1 \(conv1d\) needs weights of shape \[3 × 257 × 16\]/],
    ];
    for (const [layers, message] of cases) {
      // Checked even when the terms read only the first layers.
      for (const upTo of [layers.length, 2]) {
        let error: unknown;
        try {
          networkWeights(withLayers(layers), 257, upTo);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(GramophoneError);
        expect((error as GramophoneError).code).toBe('INVALID_INPUT');
        expect((error as GramophoneError).message).toMatch(message);
      }
    }
  });

  it('refuses a damaged weight file in words (INVALID_INPUT)', () => {
    const good = JSON.parse(readFileSync(path.join(networksDir(), `${NAME}.json`), 'utf8')) as { tensors: { shape: number[]; data: string }[] };
    const damaged = (edit: (doc: Record<string, unknown>) => void) => {
      const doc = structuredClone(good) as unknown as Record<string, unknown>;
      edit(doc);
      return JSON.stringify(doc);
    };
    const nan = Buffer.alloc(16 * 9 * 4);
    nan.writeFloatLE(Number.NaN, 8);
    const cases: [string, RegExp][] = [
      ['{"format": "gramophone-net', /is not JSON/],
      [damaged((d) => (d.format = 'onnx')), /is not a "gramophone-network" file/],
      [damaged((d) => (d.version = 2)), /version 2 is not the version this build reads \(1\)/],
      [damaged((d) => (d.tensors = [])), /holds no tensors/],
      [damaged((d) => ((d.tensors as { shape: unknown }[])[1].shape = [16, 16, 3, -3])), /tensor 2 has the shape \[16,16,3,-3\]/],
      [damaged((d) => ((d.tensors as { data: string }[])[0].data = good.tensors[0].data.slice(0, 100))), /tensor 1 of shape \[16, 1, 3, 3\] needs 576 bytes of float32 data, it has 75/],
      [damaged((d) => ((d.tensors as { data: string }[])[0].data = nan.toString('base64'))), /tensor 1 holds values that are not finite numbers/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseTrainedNetwork(text, 'x.json')).toThrow(message);
      try {
        parseTrainedNetwork(text, 'x.json');
      } catch (e) {
        expect((e as GramophoneError).code).toBe('INVALID_INPUT');
        expect((e as Error).message).toMatch(/^The trained network file x\.json is damaged: /);
      }
    }
  });

  it('ships as a small asset with its provenance, trained as the stack common/preset.ts declares', () => {
    const file = path.join(ROOT, 'assets/networks', `${NAME}.json`);
    expect(statSync(file).size).toBeLessThan(8 * 1024 * 1024);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { name: string; layers: Layer[]; input: Record<string, unknown> };
    expect(doc.name).toBe(NAME);
    expect(doc.layers).toEqual(TRAINED_NETWORKS[NAME].layers);
    expect(doc.layers).toEqual(TRAINED.network.layers);
    expect(doc.input).toEqual({ frontEnd: TRAINED.frontEnd.kind, ...TRAINED.analysis });
    const provenance = JSON.parse(readFileSync(path.join(ROOT, 'assets/networks', `${NAME}.provenance.json`), 'utf8'));
    expect(provenance.weightsSha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(provenance.seed).toEqual(expect.any(Number));
    expect(provenance.soundfont).toMatchObject({ package: 'fluid-soundfont-gm', version: expect.any(String) });
    expect(provenance.classes).toHaveLength(16);
    expect(provenance.training.curve.length).toBeGreaterThan(0);
    expect(Object.keys(provenance.validation.perFamily)).toEqual(provenance.classes);
    expect(provenance.validation.chance).toBeCloseTo(1 / 16, 4);
  });
});
