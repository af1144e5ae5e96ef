/**
 * The losses of docs/ARCHITECTURE.md ("The objective") written as plain loops in float64: no tensors, no tricks, for
 * small shapes only. Backends are tested against it (values directly, gradients through
 * central finite differences of this function, which float64 makes accurate to ~1e-8).
 *
 * Only the conv weights come from the engine (`convWeights`), since they define the
 * network; the energy stretch, timbre envelope and normalisers are recomputed here.
 */
import type { LossTerms } from '../../../common/audio';
import { perTerm } from '../../../common/loss-terms';
import type { Activation } from '../../../common/preset';
import { NORM_EPSILON, type ObjectiveSetup } from '../../../engine/objective/objective';
import { networkWeights } from '../../../engine/objective/network';
import { maxRelativeError, sampleIndices } from './tfjs-fixtures';

/** Version 1's network, read off a preset: one conv1d layer, then an activation. */
export interface NetworkSpec {
  filters: number;
  kernel: number;
  activation: Activation;
}

/** The conv1d + activation of a one-layer setup, and its weights (K × F × N, from the engine). */
export function conv1dOf(setup: ObjectiveSetup): { net: NetworkSpec; w: Float32Array } {
  const [conv, act] = setup.preset.network.layers;
  if (conv.kind !== 'conv1d' || act?.kind !== 'activation') throw new Error('the float64 reference covers conv1d + activation networks');
  return { net: { filters: conv.filters, kernel: conv.kernel, activation: act.fn }, w: networkWeights(setup.preset.network, setup.bins)[0].data };
}

const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

/** act(z) for one value. */
export function referenceActivation(kind: Activation, z: number): number {
  switch (kind) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'selu':
      return z > 0 ? SELU_SCALE * z : SELU_SCALE * SELU_ALPHA * (Math.exp(z) - 1);
    case 'tanh':
      return Math.tanh(z);
    case 'leakyRelu':
      return z > 0 ? z : 0.01 * z;
    case 'none':
      return z;
  }
}

/**
 * A(x) = act(conv1d(x, W)), valid, stride 1, no bias.
 * @param x frames × bins row-major
 * @param w K × F × N row-major
 * @returns (frames − K + 1) × N row-major
 */
export function referenceFeatures(x: ArrayLike<number>, frames: number, bins: number, w: ArrayLike<number>, net: NetworkSpec): Float64Array {
  const { filters: N, kernel: K } = net;
  const rows = frames - K + 1;
  const a = new Float64Array(rows * N);
  for (let t = 0; t < rows; t++) {
    for (let n = 0; n < N; n++) {
      let z = 0;
      for (let k = 0; k < K; k++) for (let f = 0; f < bins; f++) z += x[(t + k) * bins + f] * w[(k * bins + f) * N + n];
      a[t * N + n] = referenceActivation(net.activation, z);
    }
  }
  return a;
}

/** G = AᵀA / rows, N × N. */
export function referenceGram(a: Float64Array, rows: number, n: number): Float64Array {
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < rows; t++) s += a[t * n + i] * a[t * n + j];
      g[i * n + j] = s / rows;
    }
  }
  return g;
}

/**
 * Means of a frames × bins row-major matrix along one axis: over the bins of each frame
 * (`'bins'`, length `frames`) or over the frames of each bin (`'frames'`, length `bins`).
 */
function meanOver(x: ArrayLike<number>, frames: number, bins: number, axis: 'bins' | 'frames'): Float64Array {
  const [outer, inner] = axis === 'bins' ? [frames, bins] : [bins, frames];
  // Strides of the outer and inner index into x.
  const [so, si] = axis === 'bins' ? [bins, 1] : [1, bins];
  const out = new Float64Array(outer);
  for (let o = 0; o < outer; o++) {
    let s = 0;
    for (let i = 0; i < inner; i++) s += x[o * so + i * si];
    out[o] = s / inner;
  }
  return out;
}

/** Mean over bins of each frame, length `frames`. */
export function referenceEnergy(x: ArrayLike<number>, frames: number, bins: number): Float64Array {
  return meanOver(x, frames, bins, 'bins');
}

/** Linear interpolation of `v` to `length` points with both endpoints aligned. */
export function referenceStretch(v: Float64Array, length: number): Float64Array {
  const out = new Float64Array(length);
  for (let t = 0; t < length; t++) {
    if (v.length === 1 || length === 1) {
      out[t] = v[0];
      continue;
    }
    const pos = (t * (v.length - 1)) / (length - 1);
    const i = Math.min(Math.floor(pos), v.length - 2);
    out[t] = v[i] + (v[i + 1] - v[i]) * (pos - i);
  }
  return out;
}

/** Mean over frames of each bin, length `bins`. */
export function referenceTimbre(x: ArrayLike<number>, frames: number, bins: number): Float64Array {
  return meanOver(x, frames, bins, 'frames');
}

/** ‖a − b‖² / (‖b‖² + NORM_EPSILON). */
export function normalisedDistance(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return num / (den + NORM_EPSILON);
}

/** The total loss and the four unweighted terms at x (T × F), all in float64. */
export function referenceLoss(setup: ObjectiveSetup, x: ArrayLike<number>): { loss: number; terms: LossTerms } {
  const { frames: T, bins: F, styleFrames: Ts } = setup;
  const weights = setup.preset.weights;
  const { net, w } = conv1dOf(setup);
  const rowsX = T - net.kernel + 1;
  const rowsS = Ts - net.kernel + 1;
  const aX = referenceFeatures(x, T, F, w, net);
  const aC = referenceFeatures(setup.content, T, F, w, net);
  const aS = referenceFeatures(setup.style, Ts, F, w, net);
  const terms: LossTerms = {
    ...perTerm(() => 0),
    content: normalisedDistance(aX, aC),
    style: normalisedDistance(referenceGram(aX, rowsX, net.filters), referenceGram(aS, rowsS, net.filters)),
    energy: normalisedDistance(referenceEnergy(x, T, F), referenceStretch(referenceEnergy(setup.style, Ts, F), T)),
    timbre: normalisedDistance(referenceTimbre(x, T, F), referenceTimbre(setup.style, Ts, F)),
  };
  const loss = weights.content * terms.content + weights.style * terms.style + weights.energy * terms.energy + weights.timbre * terms.timbre;
  return { loss, terms };
}

/**
 * ∂L/∂x[i] by central differences of `referenceLoss` (float64), for the given coordinates.
 * @param h step; 1e-5 balances truncation (∝h²) against rounding (∝1e-16/h) for O(1) inputs
 */
export function referenceGradientAt(setup: ObjectiveSetup, x: ArrayLike<number>, indices: readonly number[], h = 1e-5): number[] {
  const xp = Float64Array.from(x);
  return indices.map((i) => {
    const v = xp[i];
    xp[i] = v + h;
    const up = referenceLoss(setup, xp).loss;
    xp[i] = v - h;
    const down = referenceLoss(setup, xp).loss;
    xp[i] = v;
    return (up - down) / (2 * h);
  });
}

/**
 * How far `gradient` (an objective's, at `x`) is from `referenceGradientAt` at `count`
 * seeded coordinates: their `maxRelativeError`.
 */
export function gradientError(setup: ObjectiveSetup, x: ArrayLike<number>, gradient: ArrayLike<number>, count: number, seed: number): number {
  const idx = sampleIndices(x.length, count, seed);
  return maxRelativeError(
    idx.map((i) => gradient[i]),
    referenceGradientAt(setup, x, idx),
  );
}
