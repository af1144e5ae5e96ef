/**
 * Texture statistics (κ) after McDermott & Simoncelli 2011 ("Sound texture perception via
 * statistics of the auditory periphery"), computed from the magnitude M = exp(X) − 1 in the
 * spectrogram domain (Grinstein et al. found them, with the shallow random network, the
 * only pleasing extractors):
 * - band envelopes: ERB-spaced half-cosine filters H (squared responses of neighbours sum to
 *   1), envelope E[t, b] = (Σ_f H[f, b]² M[t, f]²)^(c/2), i.e. the band's amplitude
 *   compressed by c (0.3);
 * - marginal moments of each band's envelope over time: mean μ, variance / μ², skewness,
 *   kurtosis;
 * - cross-band correlations of the envelopes (B × B);
 * - modulation power: each envelope's variance split into octave-spaced modulation bands
 *   from 0.5 Hz (a DFT along time), as fractions of the variance.
 * Each of the six groups is one part of the term, normalised on its own (their scales
 * differ by orders of magnitude).
 */
import type { Ops, TensorRef } from '../ops';
import type { StatisticModule } from './statistic';

/** ERB-rate (Glasberg & Moore 1990) of f Hz. */
export const erbRate = (hz: number): number => 21.4 * Math.log10(1 + 0.00437 * hz);

/** Lowest band centre in Hz. */
const LOW_HZ = 20;

/**
 * Squared responses H² of `bands` half-cosine filters equally spaced in ERB-rate between
 * 20 Hz and `topHz`, sampled at the bins' centre frequencies.
 * @returns F × B row-major
 */
export function erbPowerWeights(binHz: Float32Array, bands: number, topHz: number): Float32Array {
  const lo = erbRate(LOW_HZ);
  const hi = erbRate(topHz);
  const step = (hi - lo) / (bands - 1);
  const w = new Float32Array(binHz.length * bands);
  for (let f = 0; f < binHz.length; f++) {
    const e = erbRate(binHz[f]);
    for (let b = 0; b < bands; b++) {
      const d = (e - (lo + b * step)) / step;
      if (Math.abs(d) < 1) w[f * bands + b] = Math.cos((Math.PI / 2) * d) ** 2;
    }
  }
  return w;
}

/**
 * DFT rows for the modulation spectrum of `frames` samples at `frameRate`: cos and sin of
 * the DFT bins 1 … ⌊T/2⌋ (K of them) as K × T each, and the K → bands summing matrix of
 * octave bands starting at 0.5 Hz (a band above the frame rate's Nyquist stays empty).
 */
export function modulationMatrices(frames: number, frameRate: number, bands: number): { cos: Float32Array; sin: Float32Array; bandSum: Float32Array; bins: number } {
  const K = Math.max(1, Math.floor(frames / 2));
  const cos = new Float32Array(K * frames);
  const sin = new Float32Array(K * frames);
  const bandSum = new Float32Array(bands * K);
  for (let k = 1; k <= K; k++) {
    for (let t = 0; t < frames; t++) {
      const th = (2 * Math.PI * k * t) / frames;
      cos[(k - 1) * frames + t] = Math.cos(th);
      sin[(k - 1) * frames + t] = Math.sin(th);
    }
    const hz = (k * frameRate) / frames;
    const band = Math.floor(Math.log2(hz / 0.5));
    if (band >= 0 && band < bands) bandSum[band * K + (k - 1)] = 1;
  }
  return { cos, sin, bandSum, bins: K };
}

/** Floor added to band power and variance so silent bands have finite moments and gradients. */
const POWER_FLOOR = 1e-6;

/** The six statistic groups of an X [T, F] (see the file comment). */
export function textureStatistics<V extends TensorRef>(
  ops: Ops<V>,
  x: V,
  ctx: { binHz: Float32Array; frameRate: number; bands: number; modulationBands: number; compression: number; topHz: number },
): V[] {
  const [T, F] = x.shape;
  const B = ctx.bands;
  const m = ops.shift(ops.exp(x), -1);
  const power = ops.matmul(ops.mul(m, m), ops.constant(erbPowerWeights(ctx.binHz, B, ctx.topHz), [F, B]));
  const env = ops.pow(ops.shift(power, POWER_FLOOR), ctx.compression / 2);
  const mu = ops.mean(env, [0], true);
  const dev = ops.sub(env, mu);
  const dev2 = ops.mul(dev, dev);
  const variance = ops.shift(ops.mean(dev2, [0], true), POWER_FLOOR);
  const sd = ops.sqrt(variance);
  const m2 = ops.div(variance, ops.mul(mu, mu));
  const skew = ops.div(ops.mean(ops.mul(dev2, dev), [0], true), ops.mul(variance, sd));
  const kurt = ops.div(ops.mean(ops.mul(dev2, dev2), [0], true), ops.mul(variance, variance));
  const cov = ops.scale(ops.matmul(dev, dev, true, false), 1 / T);
  const corr = ops.div(cov, ops.matmul(sd, sd, true, false));
  const mod = modulationMatrices(T, ctx.frameRate, ctx.modulationBands);
  const re = ops.matmul(ops.constant(mod.cos, [mod.bins, T]), dev);
  const im = ops.matmul(ops.constant(mod.sin, [mod.bins, T]), dev);
  const spectrum = ops.add(ops.mul(re, re), ops.mul(im, im));
  // Σ_k |DFT_k|² over a band, as a fraction of the variance (Parseval: Σ over all k of both halves = T² · var).
  const modPower = ops.div(ops.matmul(ops.constant(mod.bandSum, [ctx.modulationBands, mod.bins]), spectrum), ops.scale(variance, (T * T) / 2));
  return [mu, m2, skew, kurt, corr, modPower];
}

export const texture: StatisticModule = {
  term: 'texture',
  reads: () => [{ layer: 0, share: 1 }],
  source: () => 'style',
  accumulate: 'double',
  framesSquared: true,
  compute(ops, x, _layout, ctx) {
    if (!ctx.binHz) throw new Error('texture statistics need a spectral front end');
    const s = ctx.preset.statistics.texture;
    return textureStatistics(ops, x, {
      binHz: ctx.binHz,
      frameRate: ctx.frameRate,
      bands: s.bands,
      modulationBands: s.modulationBands,
      compression: s.compression,
      topHz: Math.min(ctx.binHz[ctx.binHz.length - 1], ctx.preset.analysis.sampleRate / 2),
    });
  },
};
