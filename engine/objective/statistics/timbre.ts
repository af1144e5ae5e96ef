/**
 * Timbral envelope (δ): τ(X)[f] = mean over frames of X[·, f], the average spectrum (its
 * colour), against the style's: Lt = ‖τ(X) − τ(Xs)‖² / ‖τ(Xs)‖².
 */
import type { StatisticModule } from './statistic';

/** τ(X): mean over frames of each bin, length F (float64 sums). */
export function timbreEnvelope(x: Float32Array, frames: number, bins: number): Float32Array {
  const acc = new Float64Array(bins);
  for (let t = 0; t < frames; t++) for (let f = 0; f < bins; f++) acc[f] += x[t * bins + f];
  return Float32Array.from(acc, (v) => v / frames);
}

export const timbre: StatisticModule = {
  term: 'timbre',
  reads: () => [{ layer: 0, share: 1 }],
  source: () => 'style',
  accumulate: 'double',
  // [1, F]: the gradient stays a row and is broadcast over the frames where it is added.
  compute: (ops, x) => [ops.mean(x, [0], true)],
  targetFromX: (x, frames, ctx) => [timbreEnvelope(x, frames, ctx.bins)],
};
