/** Properties of the statistics' definitions, in float64 through the reference ops. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../engine/random';
import { cepstralRows, frameActivity } from '../../../engine/objective/statistics/envelope';
import { erbPowerWeights, modulationMatrices, textureStatistics } from '../../../engine/objective/statistics/texture';
import { Tracer } from '../../../engine/objective/onnx/tracer';
import { ReferenceOps, type R } from './reference-ops';

const ops = new ReferenceOps(new Map());
const FRAME_RATE = 86;
const BINS = 64;
const binHz = Float32Array.from({ length: BINS }, (_v, k) => (k * 11025) / (BINS - 1));
const tensor = (data: Float64Array | Float32Array, shape: number[]): R => ({ shape, data: Float64Array.from(data) });

/** X = log(1 + |noise|), frames × bins, optionally amplitude-modulated at `modHz`. */
function noiseX(frames: number, seed: number, modHz = 0): R {
  const rng = createRng(seed);
  const x = new Float64Array(frames * BINS);
  for (let t = 0; t < frames; t++) {
    const gain = modHz ? 1 + 0.9 * Math.sin((2 * Math.PI * modHz * t) / FRAME_RATE) : 1;
    for (let f = 0; f < BINS; f++) x[t * BINS + f] = Math.log1p(gain * Math.abs(rng.normal()) * 3);
  }
  return tensor(x, [frames, BINS]);
}

const stats = (x: R, bands = 8, modulationBands = 6) =>
  textureStatistics(ops, x, { binHz, frameRate: FRAME_RATE, bands, modulationBands, compression: 0.3, topHz: 11025 }).map((s) => Array.from(s.data));

describe('texture statistics (McDermott & Simoncelli)', () => {
  it('ERB filters: squared responses of neighbours sum to 1 between the outer centres', () => {
    const w = erbPowerWeights(binHz, 8, 11025);
    // Each band's centre: the bin where its own response peaks.
    const centres = Array.from({ length: 8 }, (_, b) => binHz[Array.from({ length: BINS }, (_, f) => w[f * 8 + b]).reduce((best, v, f, all) => (v > all[best] ? f : best), 0)]);
    for (let f = 0; f < BINS; f++) {
      if (binHz[f] <= centres[0] || binHz[f] >= centres[7]) continue;
      let s = 0;
      for (let b = 0; b < 8; b++) s += w[f * 8 + b];
      expect(s).toBeCloseTo(1, 5);
    }
  });

  it('a steady spectrum has no envelope variance, and the moments of noise are those of a fluctuating envelope', () => {
    const steady = tensor(new Float64Array(200 * BINS).fill(1), [200, BINS]);
    const [mu, m2] = stats(steady);
    expect(mu.every((v) => v > 0)).toBe(true);
    expect(Math.max(...m2)).toBeLessThan(1e-6);
    const [, nm2, skew, kurt, corr] = stats(noiseX(400, 1));
    // Noise envelopes fluctuate (M2 > 0), less in wider bands (the ERB bands widen with
    // frequency and sum more independent bins); compression (power^0.15) makes them
    // left-skewed with near-Gaussian kurtosis; independent bins make distinct bands nearly
    // uncorrelated while each band is 1 with itself.
    expect(Math.min(...nm2)).toBeGreaterThan(1e-4);
    expect(nm2[0]).toBeGreaterThan(5 * nm2[7]);
    expect(skew.filter((v) => v < 0).length).toBeGreaterThanOrEqual(7);
    expect(kurt.every((v) => v > 2 && v < 4.5)).toBe(true);
    for (let i = 0; i < 8; i++) expect(corr[i * 8 + i]).toBeCloseTo(1, 3);
    const offDiagonal = corr.filter((_v, k) => Math.floor(k / 8) !== k % 8 && Math.abs(Math.floor(k / 8) - (k % 8)) > 1);
    expect(Math.max(...offDiagonal.map(Math.abs))).toBeLessThan(0.3);
  });

  it('noise amplitude-modulated at 4 Hz puts its modulation power in the 4–8 Hz octave band', () => {
    const mod = stats(noiseX(430, 2, 5))[5];
    // Bands: 0.5–1, 1–2, 2–4, 4–8, 8–16, 16–32 Hz; modPower is [6, 8] (band × ERB band).
    const byBand = Array.from({ length: 6 }, (_v, b) => mod.slice(b * 8, (b + 1) * 8).reduce((a, v) => a + v, 0));
    expect(byBand.indexOf(Math.max(...byBand))).toBe(3);
    const { bandSum, bins } = modulationMatrices(430, FRAME_RATE, 6);
    // Every DFT bin from 0.5 Hz up to the frame rate's Nyquist belongs to exactly one band.
    for (let k = 0; k < bins; k++) {
      const hz = ((k + 1) * FRAME_RATE) / 430;
      const n = Array.from({ length: 6 }, (_v, b) => bandSum[b * bins + k]).reduce((a, v) => a + v, 0);
      expect(n).toBe(hz >= 0.5 && hz < 32 ? 1 : 0);
    }
  });

  it('identical inputs give identical statistics (zero distance)', () => {
    const a = stats(noiseX(100, 3));
    const b = stats(noiseX(100, 3));
    expect(a).toEqual(b);
  });
});

describe('spectral envelope (frame-wise cepstrum)', () => {
  it('cepstral rows are orthonormal and orthogonal to a constant (the level is left out)', () => {
    const d = cepstralRows(32, 8);
    for (let i = 0; i < 7; i++) {
      let sum = 0;
      for (let f = 0; f < 32; f++) sum += d[i * 32 + f];
      expect(sum).toBeCloseTo(0, 10);
      for (let j = 0; j < 7; j++) {
        let dot = 0;
        for (let f = 0; f < 32; f++) dot += d[i * 32 + f] * d[j * 32 + f];
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 6);
      }
    }
  });

  it('frame activity is 0 in silence and 1 at the loudest frame', () => {
    const x = new Float32Array(4 * 3);
    x.set([1, 1, 1], 3);
    x.set([2, 2, 2], 6);
    expect(Array.from(frameActivity(x, 4, 3))).toEqual([0, 0.5, 1, 0]);
  });
});

describe('max pooling in the onnx graph', () => {
  it('routes the gradient to the maximum of each window only', async () => {
    const { loadOrt } = await import('../../../engine/objective/onnx/runtime');
    const ort = await loadOrt();
    const t = new Tracer('pool');
    const x = t.input('x', [1, 4, 4], { differentiable: true });
    const y = t.pool(x, 'max', 2, 2);
    const target = t.input('target', [1, 2, 2]);
    const s = t.squaredDistance(y, target, 'double');
    t.output(t.backward([{ value: s, seed: { weight: 1, norm: 1 } }], x)!, 'grad');
    const session = await ort.InferenceSession.create(t.g.encode());
    const xv = Float32Array.from([1, 9, 2, 3, 4, 5, 8, 6, 7, 0, 1, 2, 3, 4, 5, 11]);
    const out = await session.run({ x: new ort.Tensor('float32', xv, [1, 4, 4]), target: new ort.Tensor('float32', new Float32Array(4), [1, 2, 2]) });
    const g = Array.from(out.grad.data as Float32Array);
    // Windows' maxima: 9 (index 1), 8 (6), 7 (8), 11 (15); ∂/∂y of ‖y‖²/(1 + ε) is ≈ 2y.
    const expected = new Array(16).fill(0);
    for (const [i, v] of [
      [1, 9],
      [6, 8],
      [8, 7],
      [15, 11],
    ])
      expected[i] = 2 * v;
    g.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
    await session.release();
  });
});
