/**
 * Adam (Kingma & Ba, 2015) with bias correction, projected onto x ≥ lowerBound after
 * every step. A step that lands on a non-finite loss is taken back and retried at half
 * the step size (the moments are only updated once a step is accepted).
 */
import { GramophoneError } from '../../common/errors';
import type { Evaluation } from '../objective/objective';
import type { AsyncObjective, OptimiseOptions, OptimiseResult } from './types';
import { checkCount, checkPositive, snapshot, startInBox } from './vector';
import { plateauTracker } from './plateau';

/** Adam's moment decays and denominator guard; the defaults are the paper's. */
export interface AdamOptions extends OptimiseOptions {
  /** Decay of the first moment; default 0.9. */
  beta1?: number;
  /** Decay of the second moment; default 0.999. */
  beta2?: number;
  /** Added to √v̂ in the step's denominator; default 1e-8. */
  epsilon?: number;
}

/** Halvings of the step tried at one iteration before giving up on a non-finite loss. */
const MAX_HALVINGS = 20;

/**
 * Minimise f from x0 subject to x ≥ opts.lowerBound. Runs `iterations` steps and
 * `iterations + 1` evaluations when all are finite, fewer only when `opts.plateau` stops it.
 * @param x0 starting point (not modified; projected onto the box first)
 */
export async function adam(f: AsyncObjective, x0: Float32Array, opts: AdamOptions): Promise<OptimiseResult> {
  const n = x0.length;
  const b1 = opts.beta1 ?? 0.9;
  const b2 = opts.beta2 ?? 0.999;
  const eps = opts.epsilon ?? 1e-8;
  checkCount(opts.iterations, 'iteration count');
  checkPositive(opts.learningRate, 'learning rate');
  checkPositive(eps, 'epsilon');
  if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1)) {
    throw new GramophoneError('INVALID_INPUT', `Adam's beta1 and beta2 must be in [0, 1) (got ${b1}, ${b2})`);
  }
  const { x, lb, ub } = startInBox(x0, opts);
  const xPrev = new Float32Array(n);
  const g = new Float32Array(n);
  // The moments, and their candidates for this step: written by the step's pass, swapped in
  // when the step is accepted (no second pass over n values to update them).
  let mom1 = new Float64Array(n);
  let mom2 = new Float64Array(n);
  let next1 = new Float64Array(n);
  let next2 = new Float64Array(n);
  let evaluations = 1;
  let ev: Evaluation = await f(x);
  if (!Number.isFinite(ev.loss)) {
    throw new GramophoneError('INTERNAL', `The loss is not a finite number at the starting point (${ev.loss})`);
  }
  const initial = snapshot(ev);
  let lr = opts.learningRate;
  const plateau = plateauTracker(opts.plateau);
  let done = 0;
  let stopReason: OptimiseResult['stopReason'] = 'iterations';

  for (let k = 1; k <= opts.iterations; k++) {
    g.set(ev.gradient);
    xPrev.set(x);
    const c1 = 1 - b1 ** k;
    const c2 = 1 - b2 ** k;
    for (let halvings = 0; ; halvings++) {
      for (let i = 0; i < n; i++) {
        const m = b1 * mom1[i] + (1 - b1) * g[i];
        const v = b2 * mom2[i] + (1 - b2) * g[i] * g[i];
        next1[i] = m;
        next2[i] = v;
        const xi = xPrev[i] - (lr * (m / c1)) / (Math.sqrt(v / c2) + eps);
        x[i] = xi < lb ? lb : xi > ub ? ub : xi;
      }
      ev = await f(x);
      evaluations++;
      if (Number.isFinite(ev.loss)) break;
      if (halvings === MAX_HALVINGS) {
        throw new GramophoneError('INTERNAL', `The loss stayed non-finite at iteration ${k} even with a step ${2 ** MAX_HALVINGS} times smaller`);
      }
      lr /= 2;
    }
    [mom1, next1] = [next1, mom1];
    [mom2, next2] = [next2, mom2];
    done = k;
    if (opts.onIteration) await opts.onIteration(k, ev, x);
    if (plateau.flat(ev.loss) && k < opts.iterations) {
      stopReason = 'plateau';
      break;
    }
  }

  return { x: Float32Array.from(x), iterations: done, stopReason, evaluations, initial, final: snapshot(ev) };
}
