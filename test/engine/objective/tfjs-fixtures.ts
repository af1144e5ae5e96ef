/** Small seeded problems for the objective tests. */
import type { Activation, LossWeights } from '../../../common/preset';
import type { ObjectiveSetup } from '../../../engine/objective/objective';
import { createRng } from '../../../engine/random';

/** Uniform values in [lo, hi), seeded: a stand-in for a log-magnitude spectrogram. */
export function randomSpectrogram(length: number, seed: number, lo = 0, hi = 2): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => lo + (hi - lo) * rng.next());
}

export interface SmallShape {
  frames: number;
  bins: number;
  styleFrames: number;
  filters: number;
  kernel: number;
}

export const TINY: SmallShape = { frames: 14, bins: 9, styleFrames: 19, filters: 7, kernel: 3 };

/** A setup with random non-negative content and style (style of a different length). */
export function smallSetup(
  shape: SmallShape,
  weights: LossWeights,
  activation: Activation = 'relu',
  seed = 1,
): ObjectiveSetup {
  const { frames, bins, styleFrames, filters, kernel } = shape;
  return {
    frames,
    bins,
    styleFrames,
    content: randomSpectrogram(frames * bins, seed * 3 + 1),
    style: randomSpectrogram(styleFrames * bins, seed * 3 + 2),
    weights,
    network: { filters, kernel, activation, seed },
  };
}

export const ALL_ON: LossWeights = { content: 1, style: 1, energy: 1, timbre: 1 };

/** The four one-hot weightings and a mixed one. */
export const WEIGHTINGS: Record<string, LossWeights> = {
  content: { content: 1, style: 0, energy: 0, timbre: 0 },
  style: { content: 0, style: 1, energy: 0, timbre: 0 },
  energy: { content: 0, style: 0, energy: 1, timbre: 0 },
  timbre: { content: 0, style: 0, energy: 0, timbre: 1 },
  combined: { content: 0.5, style: 2, energy: 1.5, timbre: 3 },
};

/** `count` distinct indices in [0, n), seeded. */
export function sampleIndices(n: number, count: number, seed: number): number[] {
  const rng = createRng(seed);
  const set = new Set<number>();
  while (set.size < Math.min(count, n)) set.add(Math.floor(rng.next() * n));
  return [...set].sort((a, b) => a - b);
}

/**
 * Largest relative error between an analytic and a reference gradient over sampled
 * coordinates, each measured against max(|g|, |ref|, floor) with floor = 1e-2·max|ref|, so
 * a coordinate whose derivative is ~0 cannot dominate through rounding alone.
 */
export function maxRelativeError(g: ArrayLike<number>, ref: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < ref.length; i++) scale = Math.max(scale, Math.abs(ref[i]));
  const floor = 1e-2 * scale;
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const den = Math.max(Math.abs(g[i]), Math.abs(ref[i]), floor, 1e-30);
    worst = Math.max(worst, Math.abs(g[i] - ref[i]) / den);
  }
  return worst;
}
