/**
 * The facts modules declare about themselves, which the planner, the memory model and the
 * preset validation read instead of switching on kinds and names: checked against what the
 * modules do.
 */
import { describe, expect, it } from 'vitest';
import { LOSS_TERM_TABLE, termNeeds } from '../../../common/loss-terms';
import { PresetSchema, builtinPreset, presetProblems, type Layer } from '../../../common/preset';
import { layerModule } from '../../../engine/objective/layers';
import { map, seq } from '../../../engine/objective/layout';
import { minimumFrames } from '../../../engine/objective/network';
import { STATISTICS } from '../../../engine/objective/statistics';

const LAYERS: Layer[] = [
  { kind: 'conv1d', filters: 8, kernel: 11 },
  { kind: 'conv1d', filters: 8, kernel: 1 },
  { kind: 'conv2d', channels: 4, kernelTime: 3, kernelFreq: 3, padding: 'valid' },
  { kind: 'conv2d', channels: 4, kernelTime: 5, kernelFreq: 3, padding: 'same' },
  { kind: 'activation', fn: 'relu' },
  { kind: 'pool', mode: 'max', time: 2, freq: 2 },
  { kind: 'pool', mode: 'avg', time: 3, freq: 1 },
];

describe('layer modules', () => {
  it.each(LAYERS.map((l) => [JSON.stringify(l), l] as const))('%s: inputFrames is the fewest frames that give that many out', (_, layer) => {
    const m = layerModule(layer);
    for (const want of [1, 2, 7, 40]) {
      const need = m.inputFrames(layer, want);
      const input = layer.kind === 'conv1d' ? seq(need, 16) : map(2, need, 16);
      expect(m.output(layer, input).frames).toBeGreaterThanOrEqual(want);
      if (need > 1) {
        const fewer = layer.kind === 'conv1d' ? seq(need - 1, 16) : map(2, need - 1, 16);
        let frames = 0;
        try {
          frames = m.output(layer, fewer).frames;
        } catch {
          frames = 0;
        }
        expect(frames).toBeLessThan(want);
      }
    }
  });

  it('the network needs the frames its layers declare, composed from the last', () => {
    const net = { layers: LAYERS.filter((l) => l.kind !== 'conv1d' || l.kernel > 1), seed: 1, weights: 'random' as const };
    // pool 3 ← pool 2 ← conv2d same ← conv2d valid (+2) ← conv1d (+10), read from the end.
    expect(minimumFrames(net as never)).toBe(1 * 3 * 2 + 2 + 10);
  });

  it('a layer with weights declares their bytes; one without declares none', () => {
    for (const layer of LAYERS) {
      const m = layerModule(layer);
      const input = layer.kind === 'conv1d' ? seq(20, 16) : map(2, 20, 16);
      const { weightBytes } = m.memory(layer, input);
      if (m.weightShape) expect(weightBytes).toBeGreaterThanOrEqual(4 * m.weightShape(layer, input).reduce((a, b) => a * b, 1) * (layer.kind === 'conv1d' && layer.kernel > 1 ? 0.5 : 1));
      else expect(weightBytes).toBe(0);
    }
  });
});

describe('statistic modules', () => {
  it('every loss term has its statistic, registered under its name', () => {
    for (const t of LOSS_TERM_TABLE) expect(STATISTICS[t.name].term).toBe(t.name);
  });

  it('a term that needs frequencies is refused on an MFCC front end, by what the table says', () => {
    const base = builtinPreset('Quick preview')!;
    const mfcc = { ...base, frontEnd: { kind: 'mfcc', bands: 40, coefficients: 20, fMin: 0, fMax: 8000 } };
    for (const t of LOSS_TERM_TABLE) {
      const candidate = PresetSchema.parse({ ...base, weights: { ...base.weights, [t.name]: 1 } });
      const problems = presetProblems({ ...candidate, frontEnd: mfcc.frontEnd });
      if (termNeeds(t.name) === 'frequencies') expect(problems, t.name).toMatch(new RegExp(t.label.toLowerCase()));
      else expect(problems ?? '', t.name).not.toMatch(/spectral front end/);
    }
  });

  it('only the Gram statistic declares a Gram, and only texture holds frames × frames values', () => {
    expect(
      Object.values(STATISTICS)
        .filter((m) => m.gram)
        .map((m) => m.term),
    ).toEqual(['style']);
    expect(
      Object.values(STATISTICS)
        .filter((m) => m.framesSquared)
        .map((m) => m.term),
    ).toEqual(['texture']);
  });
});
