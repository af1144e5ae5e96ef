/**
 * The style objective behind one interface (docs/ARCHITECTURE.md, "The objective"): front end → feature network →
 * statistics → weighted terms. Both backends (onnx, tfjs) build it from the same modules
 * (layers/, statistics/) written once in the shared ops (ops.ts); tests hold them against
 * each other and against finite differences.
 *
 * Shapes: X is T frames × F bins of the front end, row-major Float32Array (X[t*F + f]).
 */
import type { LossTerms } from '../../common/audio';
import type { Preset } from '../../common/preset';
import type { HistoryKernels } from '../optim/history';

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
  /** Weights, network and statistics come from here. */
  preset: Preset;
  /** Centre frequency of each X bin in Hz (null when the bins are not frequencies, e.g. MFCC). */
  binHz: Float32Array | null;
  /** Frames per second of X. */
  frameRate: number;
  /** The note template in X's domain (T × F), built by the render when a term or the start needs it. */
  noteTemplate?: Float32Array;
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
  /** The content term's features of x (its first layer), row-major, for metrics and tests. */
  features(x: Float32Array): Promise<Float32Array>;
  /** L-BFGS's history products on this backend's native kernels, when it has them (else the optimiser's own loops). */
  readonly historyKernels?: HistoryKernels;
  dispose(): void;
}

export type ObjectiveFactory = (setup: ObjectiveSetup) => Promise<Objective>;

/**
 * Added to each loss term's normaliser ‖target‖² (so Lc = ‖A(X) − A(Xc)‖² / (‖A(Xc)‖² + ε),
 * likewise for the others) so that a silent target, e.g. an all-zero style, divides by a
 * small number instead of zero. Negligible for any audible input: a target's squared norm
 * is a sum over hundreds of frames of O(0.01–10) values. Every backend uses it.
 */
export const NORM_EPSILON = 1e-8;
