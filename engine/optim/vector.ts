/** Small loops the optimisers share. Dot products accumulate in float64 (JS numbers). */
import { GramophoneError } from '../../common/errors';
import type { Evaluation } from '../objective/objective';

/** x[i] = min(max(x[i], lower), upper) in place. */
export function projectInPlace(x: Float32Array, lower: number, upper = Infinity): void {
  if (lower === -Infinity && upper === Infinity) return;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < lower) x[i] = lower;
    else if (x[i] > upper) x[i] = upper;
  }
}

/**
 * Where an optimiser starts: the box of `opts` ([lowerBound, upperBound], unbounded where
 * unset) and a copy of `x0` projected into it (x0 itself is not modified).
 */
export function startInBox(x0: Float32Array, opts: { lowerBound?: number; upperBound?: number }): { x: Float32Array<ArrayBuffer>; lb: number; ub: number } {
  const lb = opts.lowerBound ?? -Infinity;
  const ub = opts.upperBound ?? Infinity;
  const x = Float32Array.from(x0);
  projectInPlace(x, lb, ub);
  return { x, lb, ub };
}

/** An evaluation with its gradient copied out of the objective's (possibly reused) buffer. */
export const snapshot = (ev: Evaluation): Evaluation => ({
  loss: ev.loss,
  terms: { ...ev.terms },
  gradient: Float32Array.from(ev.gradient),
});

/** Throws INVALID_INPUT unless `n` is a whole number ≥ min (iterations, history length). */
export function checkCount(n: number, what: string, min = 0): void {
  if (!Number.isInteger(n) || n < min) throw new GramophoneError('INVALID_INPUT', `The optimiser's ${what} must be a whole number of at least ${min} (got ${n})`);
}

/** Throws INVALID_INPUT unless `v` is a finite number > 0. */
export function checkPositive(v: number, what: string): void {
  if (!(Number.isFinite(v) && v > 0)) throw new GramophoneError('INVALID_INPUT', `The optimiser's ${what} must be a positive number (got ${v})`);
}
