/**
 * What the optimisers take and return. They work on the flattened spectrogram X
 * (T × F row-major Float32Array) but know nothing about audio: any objective that returns
 * a loss and a gradient will do.
 */
import type { StopReason } from '../../common/audio';
import type { Evaluation } from '../objective/objective';
import type { PlateauStop } from './plateau';

/**
 * Loss and gradient at x. The gradient may live in a buffer the objective reuses on its
 * next call; optimisers copy what they keep.
 */
export type AsyncObjective = (x: Float32Array) => Promise<Evaluation>;

export interface OptimiseOptions {
  /** Maximum number of iterations (accepted steps). */
  iterations: number;
  /** Adam: step size. L-BFGS: scale of the initial trial step of each line search (1 = standard). */
  learningRate: number;
  /** Box constraint x ≥ lowerBound, kept by projection (0 for X = log1p|M|). */
  lowerBound?: number;
  /**
   * Box constraint x ≤ upperBound, kept the same way. Renders cap X = log1p|M| a little
   * above the loudest input, because a small excess in the log domain is a huge one in
   * amplitude once exponentiated.
   */
  upperBound?: number;
  /**
   * Awaited after each iteration i (1-based) with the new iterate and its evaluation.
   * Both are the optimiser's working buffers: read them, copy what you keep, never write.
   * Throwing (e.g. a cancel) stops the optimiser at once and propagates the error.
   */
  onIteration?: (i: number, ev: Evaluation, x: Float32Array) => void | Promise<void>;
  /** Stop early, with stopReason 'plateau', once the loss stops falling (default: never). */
  plateau?: PlateauStop;
}

export interface OptimiseResult {
  /** The final iterate (a new array, owned by the caller). */
  x: Float32Array;
  /** Iterations completed (≤ options.iterations; fewer when converged). */
  iterations: number;
  /** Why it stopped. */
  stopReason: StopReason;
  /** Objective evaluations made, line-search trials included. */
  evaluations: number;
  /** Evaluation at the (projected) starting point; its gradient is a private copy. */
  initial: Evaluation;
  /** Evaluation at `x`; its gradient is a private copy. */
  final: Evaluation;
}
