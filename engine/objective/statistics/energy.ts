/**
 * Energy envelope (γ): e(X)[t] = mean over bins of X[t, ·], a loudness curve, against the
 * style's stretched to T frames by linear interpolation with the ends aligned (Verma &
 * Smith) or against the content's (keeps the rhythm): Le = ‖e(X) − target‖² / ‖target‖².
 */
import type { StatisticModule } from './statistic';

/**
 * e(X) of a frames × bins spectrogram, in float64 sums.
 * @returns length `frames`
 */
export function energyEnvelope(x: Float32Array, frames: number, bins: number): Float64Array {
  const e = new Float64Array(frames);
  for (let t = 0; t < frames; t++) {
    let s = 0;
    for (let f = 0; f < bins; f++) s += x[t * bins + f];
    e[t] = s / bins;
  }
  return e;
}

/**
 * The style energy envelope es stretched to `frames` by linear interpolation (endpoints
 * aligned), as `F.interpolate(..., mode="linear", align_corners=True)`.
 * @param style Ts × F row-major
 * @returns length `frames`
 */
export function stretchedEnergy(style: Float32Array, styleFrames: number, bins: number, frames: number): Float32Array {
  const e = energyEnvelope(style, styleFrames, bins);
  const out = new Float32Array(frames);
  if (styleFrames === 1 || frames === 1) {
    out.fill(e[0]);
    return out;
  }
  const scale = (styleFrames - 1) / (frames - 1);
  for (let t = 0; t < frames; t++) {
    const pos = t * scale;
    const i = Math.min(Math.floor(pos), styleFrames - 2);
    const frac = pos - i;
    out[t] = e[i] * (1 - frac) + e[i + 1] * frac;
  }
  return out;
}

export const energy: StatisticModule = {
  term: 'energy',
  reads: () => [{ layer: 0, share: 1 }],
  source: (p) => p.statistics.energy.target,
  accumulate: 'double',
  // [T, 1]: the gradient stays a column and is broadcast over the bins where it is added.
  compute: (ops, x) => [ops.mean(x, [1], true)],
  targetFromX: (x, frames, ctx) => [ctx.preset.statistics.energy.target === 'style' ? stretchedEnergy(x, frames, ctx.bins, ctx.frames) : Float32Array.from(energyEnvelope(x, frames, ctx.bins))],
};
