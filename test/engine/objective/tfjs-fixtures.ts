/** Small seeded problems for the objective tests. */
import { PresetSchema, builtinPreset, type Activation, type Preset, type PresetInput } from '../../../common/preset';
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

/** Version 1's network: conv1d then an activation. */
export const conv1dNetwork = (filters: number, kernel: number, activation: Activation, seed: number): Preset['network'] => ({
  layers: [
    { kind: 'conv1d', filters, kernel },
    { kind: 'activation', fn: activation },
  ],
  seed,
  weights: 'random',
});

/** A valid preset (Quick preview's other settings) with these weights and network and any other fields. */
export function testPreset(weights: Partial<Preset['weights']>, network: Preset['network'], extra: Partial<PresetInput> = {}): Preset {
  const base = builtinPreset('Quick preview')!;
  return PresetSchema.parse({ ...base, weights, network, ...extra });
}

/** A setup on this preset with random non-negative content and style (style of a different length). */
export function setupFor(preset: Preset, frames: number, bins: number, styleFrames: number, seed = 1): ObjectiveSetup {
  return {
    frames,
    bins,
    styleFrames,
    content: randomSpectrogram(frames * bins, seed * 3 + 1),
    style: randomSpectrogram(styleFrames * bins, seed * 3 + 2),
    preset,
    binHz: Float32Array.from({ length: bins }, (_v, k) => 100 + 400 * k),
    frameRate: 86,
  };
}

/** A version-1-shaped setup (one conv1d layer) on random spectrograms. */
export function smallSetup(shape: SmallShape, weights: Partial<Preset['weights']>, activation: Activation = 'relu', seed = 1): ObjectiveSetup {
  const { frames, bins, styleFrames, filters, kernel } = shape;
  return setupFor(testPreset(weights, conv1dNetwork(filters, kernel, activation, seed)), frames, bins, styleFrames, seed);
}

export const ALL_ON: Partial<Preset['weights']> = { content: 1, style: 1, energy: 1, timbre: 1 };

/** The four one-hot weightings and a mixed one. */
export const WEIGHTINGS: Record<string, Partial<Preset['weights']>> = {
  content: { content: 1 },
  style: { style: 1 },
  energy: { energy: 1 },
  timbre: { timbre: 1 },
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
