import { describe, expect, it } from 'vitest';
import { NORM_EPSILON } from '../../../engine/objective/objective';
import { stretchedEnergy } from '../../../engine/objective/statistics/energy';
import { timbreEnvelope } from '../../../engine/objective/statistics/timbre';
import { normalisedDistance, referenceActivation, referenceEnergy, referenceFeatures, referenceGram, referenceLoss, referenceStretch, referenceTimbre } from './reference-loss';
import { ALL_ON, TINY, randomSpectrogram, smallSetup } from './tfjs-fixtures';

describe('reference loss (plain loops)', () => {
  it('conv1d by hand: F=2, N=1, K=2, relu', () => {
    // x frames: [1,2], [3,4], [5,6]; W[k][f][0]: k0 = [1, 0], k1 = [0, -1]
    const x = [1, 2, 3, 4, 5, 6];
    const w = [1, 0, 0, -1];
    const net = { filters: 1, kernel: 2, activation: 'relu' as const, seed: 0 };
    // t=0: 1·1 + 4·(−1) = −3 → 0;  t=1: 3 − 6 = −3 → 0
    expect([...referenceFeatures(x, 3, 2, w, net)]).toEqual([0, 0]);
    const wPos = [0, 1, 1, 0]; // t=0: 2 + 3 = 5; t=1: 4 + 5 = 9
    expect([...referenceFeatures(x, 3, 2, wPos, { ...net, activation: 'tanh' })]).toEqual([Math.tanh(5), Math.tanh(9)]);
  });

  it('activations', () => {
    expect(referenceActivation('relu', -2)).toBe(0);
    expect(referenceActivation('selu', 1)).toBeCloseTo(1.0507009873554805, 15);
    expect(referenceActivation('selu', -1)).toBeCloseTo(1.0507009873554805 * 1.6732632423543772 * (Math.exp(-1) - 1), 15);
    expect(referenceActivation('tanh', 0.5)).toBe(Math.tanh(0.5));
  });

  it('Gram, energy, timbre, stretch by hand', () => {
    const a = Float64Array.from([1, 2, 3, 4]); // rows [1,2], [3,4]
    expect([...referenceGram(a, 2, 2)]).toEqual([(1 + 9) / 2, (2 + 12) / 2, (2 + 12) / 2, (4 + 16) / 2]);
    expect([...referenceEnergy([1, 3, 5, 7], 2, 2)]).toEqual([2, 6]);
    expect([...referenceTimbre([1, 3, 5, 7], 2, 2)]).toEqual([3, 5]);
    expect([...referenceStretch(Float64Array.from([0, 2]), 3)]).toEqual([0, 1, 2]);
    expect(normalisedDistance(Float64Array.from([1, 1]), Float64Array.from([0, 2]))).toBeCloseTo(2 / (4 + NORM_EPSILON), 15);
  });

  it("agrees with the engine's shared energy stretch and timbre envelope", () => {
    const s = randomSpectrogram(7 * 5, 3);
    const e = referenceStretch(referenceEnergy(s, 7, 5), 12);
    const shared = stretchedEnergy(s, 7, 5, 12);
    e.forEach((v, i) => expect(v).toBeCloseTo(shared[i], 6));
    const tau = referenceTimbre(s, 7, 5);
    timbreEnvelope(s, 7, 5).forEach((v, i) => expect(v).toBeCloseTo(tau[i], 6));
  });

  it('every term is 0 when x, content and style coincide, and the total is the weighted sum', () => {
    const base = smallSetup({ ...TINY, styleFrames: TINY.frames }, ALL_ON);
    const same = { ...base, style: base.content };
    const r0 = referenceLoss(same, base.content);
    expect(r0.loss).toBe(0);
    const x = randomSpectrogram(TINY.frames * TINY.bins, 9);
    const weights = { content: 0.5, style: 2, energy: 3, timbre: 4 };
    const r = referenceLoss({ ...base, preset: { ...base.preset, weights: { ...base.preset.weights, ...weights } } }, x);
    expect(r.loss).toBeCloseTo(0.5 * r.terms.content + 2 * r.terms.style + 3 * r.terms.energy + 4 * r.terms.timbre, 12);
  });
});
