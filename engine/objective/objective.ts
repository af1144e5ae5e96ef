/**
 * The style objective behind one interface. Both backends (onnx, tfjs) implement exactly
 * the losses of DESIGN.md §2; tests hold them against each other and finite differences.
 *
 * Shapes: a spectrogram X is T frames × F bins, row-major Float32Array (X[t*F + f]),
 * X = log(1 + |STFT|). Conv weights W are K × F × N row-major (W[(k*F + f)*N + n]), the
 * layout of tf.conv1d's filter, so feature A = act(conv1d(X, W)) is T' × N, T' = T − K + 1.
 */
import type { Activation, LossWeights } from '../../common/preset';
import type { LossTerms } from '../../common/audio';
import { createRng, deriveSeed } from '../random';

export interface NetworkSpec {
  filters: number;
  kernel: number;
  activation: Activation;
  seed: number;
}

/** Everything fixed for the length of one optimisation. */
export interface ObjectiveSetup {
  /** T and F of the optimised X (and of the content). */
  frames: number;
  bins: number;
  /** Xc, T × F row-major. */
  content: Float32Array;
  /** Xs, Ts × F row-major (Ts may differ from T). */
  style: Float32Array;
  styleFrames: number;
  weights: LossWeights;
  network: NetworkSpec;
}

/** One evaluation: total weighted loss, each unweighted normalised term, and ∂L/∂X (T × F). */
export interface Evaluation {
  loss: number;
  terms: LossTerms;
  gradient: Float32Array;
}

export interface Objective {
  /** What runs it, for logs and the UI, e.g. "onnx (cpu, 2 threads)" or "tfjs (wasm)". */
  readonly backend: string;
  /**
   * Loss and gradient at x (T × F row-major). The returned gradient may be a buffer the
   * objective reuses: copy it if you keep it past the next call.
   */
  evaluate(x: Float32Array): Promise<Evaluation>;
  /** A(x) for metrics: T' × N row-major. */
  features(x: Float32Array): Promise<Float32Array>;
  dispose(): void;
}

export type ObjectiveFactory = (setup: ObjectiveSetup) => Promise<Objective>;

/**
 * σ of the random conv weights: √2 · √(2 / ((F + N)·K)) (DESIGN.md §2).
 */
export const weightSigma = (bins: number, filters: number, kernel: number): number =>
  Math.SQRT2 * Math.sqrt(2 / ((bins + filters) * kernel));

/**
 * The seeded random conv weights, K × F × N row-major. Both backends use this, so the
 * same preset gives the same network everywhere.
 * @param into where to write them (its first K·F·N values), so a caller that transforms
 *   them in a larger buffer never holds two copies; default a new array of exactly K·F·N
 * @returns `into` (or the new array)
 */
export function convWeights(bins: number, net: NetworkSpec, into?: Float32Array): Float32Array {
  const { filters: N, kernel: K } = net;
  const sigma = weightSigma(bins, N, K);
  const rng = createRng(deriveSeed(net.seed, 'weights'));
  const n = K * bins * N;
  if (into && into.length < n) throw new RangeError(`convWeights needs ${n} values, got a buffer of ${into.length}`);
  const w = into ?? new Float32Array(n);
  rng.fillNormal(n === w.length ? w : w.subarray(0, n), sigma);
  return w;
}

/**
 * The style energy envelope es stretched to `frames` by linear interpolation (endpoints
 * aligned), as `F.interpolate(..., mode="linear", align_corners=True)`.
 * @param style Ts × F row-major
 * @returns length `frames`
 */
export function stretchedEnergy(style: Float32Array, styleFrames: number, bins: number, frames: number): Float32Array {
  const e = new Float64Array(styleFrames);
  for (let t = 0; t < styleFrames; t++) {
    let s = 0;
    for (let f = 0; f < bins; f++) s += style[t * bins + f];
    e[t] = s / bins;
  }
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

/** τ(X): mean over frames of each bin, length F. */
export function timbreEnvelope(x: Float32Array, frames: number, bins: number): Float32Array {
  const acc = new Float64Array(bins);
  for (let t = 0; t < frames; t++) for (let f = 0; f < bins; f++) acc[f] += x[t * bins + f];
  return Float32Array.from(acc, (v) => v / frames);
}

/**
 * Added to each loss term's normaliser ‖target‖² (so Lc = ‖A(X) − A(Xc)‖² / (‖A(Xc)‖² + ε),
 * likewise for the other three) so that a silent target, e.g. an all-zero style, divides
 * by a small number instead of zero. Negligible for any audible input: a target's squared
 * norm is a sum over hundreds of frames of O(0.01–10) values. Every backend uses it.
 */
export const NORM_EPSILON = 1e-8;
