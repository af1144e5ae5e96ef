import type { ComplexSpectrogram } from '../../dsp/stft';

/**
 * What a front end provides: how X is made from an STFT magnitude, how a linear magnitude is
 * recovered from X for phase reconstruction, and the box X is kept in. One file per front
 * end; register it in `index.ts`.
 */

export interface FrontEnd {
  /** Bins of X per frame. */
  readonly bins: number;
  /** Centre frequency of each X bin in Hz; null when X's bins are not frequencies (MFCC). */
  readonly binHz: Float32Array | null;
  /**
   * X from an STFT (magnitudes are taken in float64 before anything is rounded).
   * @returns frames × bins row-major
   */
  analyse(spec: ComplexSpectrogram): Float32Array;
  /**
   * A non-negative linear magnitude for Griffin-Lim from X (its inverse, or a least-squares
   * one where the front end loses information).
   * @returns frames × (nFft/2 + 1) row-major
   */
  toMagnitude(x: Float32Array, frames: number): Float32Array;
  /**
   * The box the optimiser keeps X in, from the inputs' X: a log-magnitude front end
   * allows 0 … a little above the loudest input (a small excess in the log domain is a huge
   * one once exponentiated, which Griffin-Lim turns into loud spikes).
   */
  bounds(inputs: readonly Float32Array[]): { lower: number; upper: number };
}

/** Headroom of X above the loudest input, in units of X: log 2 allows twice the largest magnitude (+6 dB). */
export const X_HEADROOM = Math.LN2;

/** The largest value (0 for none below 0). */
export const maxOf = (x: Float32Array): number => {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (x[i] > m) m = x[i];
  return m;
};

/** The box of a log(1 + magnitude) front end: [0, loudest input + log 2]. */
export const logMagnitudeBounds = (inputs: readonly Float32Array[]) => ({ lower: 0, upper: Math.max(...inputs.map(maxOf)) + X_HEADROOM });
