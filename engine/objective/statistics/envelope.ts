/**
 * Spectral envelope (ζ), frame by frame: the shape of each frame's log spectrum smoothed
 * cepstrally (its DCT coefficients 1 … K−1, K = `statistics.envelope.coefficients`: the
 * overall level, coefficient 0, is left to the energy term) against the style's average
 * shape. The style's body resonances and formants are imposed on every sounding frame of
 * the take while the fine structure (the content's harmonics, its pitch) is free, where the
 * timbral envelope (δ) constrains only the average over time.
 *
 * Frames are weighted by how loud the content is there (0 in silence, 1 at its loudest), so
 * rests keep no envelope to match and stay silent.
 * Statistic: W ⊙ (X · Dᵀ) [T, K − 1]; target: W ⊙ c̄s, c̄s the style's activity-weighted
 * mean coefficients.
 */
import type { StatisticModule } from './statistic';
import { energyEnvelope } from './energy';

/**
 * Orthonormal DCT-II rows 1 … K−1 over F bins: D[k − 1, f] = √(2/F) · cos(π k (f + ½) / F).
 * @returns (K − 1) × F row-major
 */
export function cepstralRows(bins: number, coefficients: number): Float32Array {
  const K = Math.min(coefficients, bins);
  const d = new Float32Array((K - 1) * bins);
  const s = Math.sqrt(2 / bins);
  for (let k = 1; k < K; k++) for (let f = 0; f < bins; f++) d[(k - 1) * bins + f] = s * Math.cos((Math.PI * k * (f + 0.5)) / bins);
  return d;
}

/**
 * How much each frame sounds: its energy envelope over the loudest frame's, in [0, 1].
 * @returns length `frames`
 */
export function frameActivity(x: Float32Array, frames: number, bins: number): Float32Array {
  const e = energyEnvelope(x, frames, bins);
  let max = 0;
  for (const v of e) max = Math.max(max, v);
  return Float32Array.from(e, (v) => (max > 0 ? v / max : 0));
}

/** The cepstral coefficients 1 … K−1 of each frame, float64 sums. @returns frames × (K − 1) */
function cepstra(x: Float32Array, frames: number, bins: number, d: Float32Array, k: number): Float64Array {
  const out = new Float64Array(frames * k);
  for (let t = 0; t < frames; t++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let f = 0; f < bins; f++) s += x[t * bins + f] * d[j * bins + f];
      out[t * k + j] = s;
    }
  }
  return out;
}

const rowsOf = (bins: number, coefficients: number) => Math.min(coefficients, bins) - 1;

export const envelope: StatisticModule = {
  term: 'envelope',
  reads: () => [{ layer: 0, share: 1 }],
  source: () => 'style',
  accumulate: 'double',
  compute(ops, x, _layout, ctx) {
    const k = rowsOf(ctx.bins, ctx.preset.statistics.envelope.coefficients);
    const c = ops.matmul(x, ops.constant(cepstralRows(ctx.bins, ctx.preset.statistics.envelope.coefficients), [k, ctx.bins]), false, true);
    return [ops.mul(c, ops.constant(frameActivity(ctx.content, ctx.frames, ctx.bins), [ctx.frames, 1]))];
  },
  targetFromX(style, styleFrames, ctx) {
    const { bins, frames } = ctx;
    const k = rowsOf(bins, ctx.preset.statistics.envelope.coefficients);
    const c = cepstra(style, styleFrames, bins, cepstralRows(bins, ctx.preset.statistics.envelope.coefficients), k);
    const a = frameActivity(style, styleFrames, bins);
    const mean = new Float64Array(k);
    let total = 0;
    for (let t = 0; t < styleFrames; t++) {
      total += a[t];
      for (let j = 0; j < k; j++) mean[j] += a[t] * c[t * k + j];
    }
    const w = frameActivity(ctx.content, frames, bins);
    const out = new Float32Array(frames * k);
    for (let t = 0; t < frames; t++) for (let j = 0; j < k; j++) out[t * k + j] = total > 0 ? (w[t] * mean[j]) / total : 0;
    return [out];
  },
};
