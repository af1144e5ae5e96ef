/**
 * Projected L-BFGS for x ≥ lowerBound: the inverse Hessian of the last m steps in its
 * compact form (history.ts; equal to the two-loop recursion's, in two matrix products), a
 * strong-Wolfe line search (bracketing, then zoom by safeguarded cubic interpolation;
 * Nocedal & Wright, Numerical Optimization, Alg. 3.5–3.6) along the projected path
 * P(x + t·d), and variables held at the bound while their gradient points outward.
 *
 * Deterministic: the same objective, inputs and kernels give a bit-identical result (fixed
 * order, no randomness).
 */
import { GramophoneError } from '../../common/errors';
import type { LossTerms, StopReason } from '../../common/audio';
import type { AsyncObjective, OptimiseOptions, OptimiseResult } from './types';
import { checkCount, checkPositive, snapshot, startInBox } from './vector';
import { plateauTracker } from './plateau';
import { PairProducts, jsHistoryKernels, type HistoryKernels } from './history';

/** L-BFGS settings beyond the common ones; every field has a working default. */
export interface LbfgsOptions extends OptimiseOptions {
  /** Pairs (s, y) remembered; default 10. Memory: 2·history·n floats. */
  history?: number;
  /** Converged when every free component of the gradient is at most this in size; default 1e-9. */
  gradientTolerance?: number;
  /** Converged when an iteration changes the loss by at most this fraction; default 1e-9. */
  changeTolerance?: number;
  /** Objective evaluations allowed per line search; default 20. */
  maxLineSearch?: number;
  /**
   * A value the loss cannot fall below (0 for a sum of squared distances). Given, a step
   * without curvature information (the first, or the first after the history is reset) is
   * sized to reach it along the slope, t = (f − floor) / −slope: half the way to the minimum
   * of a quadratic whose minimum is the floor, so the line search usually takes it at once.
   * Without it that step is at most 1 long in the 1-norm, which on a spectrogram of half a
   * million values is so short that the line search spends ten evaluations growing it.
   */
  lossFloor?: number;
  /**
   * Where the products with the history run (history.ts); default plain loops. A native
   * runtime's kernels (objective/onnx/history-kernels.ts) turn ~20 passes over n floats per
   * iteration into two multi-threaded matrix products.
   */
  kernels?: HistoryKernels;
}

/** Sufficient decrease (Armijo) and curvature constants of the strong Wolfe conditions. */
const C1 = 1e-4;
const C2 = 0.9;

/** A trial point of the line search: step, loss, slope along the path. */
interface Point {
  t: number;
  f: number;
  slope: number;
}

/**
 * Minimise f from x0 subject to opts.lowerBound ≤ x ≤ opts.upperBound.
 * @param x0 starting point (not modified; projected onto the box first)
 */
export async function lbfgs(f: AsyncObjective, x0: Float32Array, opts: LbfgsOptions): Promise<OptimiseResult> {
  const n = x0.length;
  const m = opts.history ?? 10;
  checkCount(opts.iterations, 'iteration count');
  checkCount(m, 'history length', 1);
  checkPositive(opts.learningRate, 'learning rate');
  const maxLs = opts.maxLineSearch ?? 20;
  checkCount(maxLs, 'line search length', 1);
  const gtol = opts.gradientTolerance ?? 1e-9;
  const ftol = opts.changeTolerance ?? 1e-9;
  const start = startInBox(x0, opts);
  const { lb, ub } = start;
  if (!(ub > lb)) throw new GramophoneError('INVALID_INPUT', `The optimiser's upper bound must exceed its lower bound (got ${lb}, ${ub})`);

  const plateau = plateauTracker(opts.plateau);
  let evaluations = 0;
  // The working point and three spare buffers, swapped by reference, never reallocated.
  let x = start.x;
  let g = new Float32Array(n);
  let xTrial = new Float32Array(n);
  let gTrial = new Float32Array(n);
  let xLo = new Float32Array(n);
  let gLo = new Float32Array(n);
  const d = new Float32Array(n);
  const dFree = new Float32Array(n);
  const q = new Float32Array(n);
  // History: row 2j of `hist` is pair j's step s, row 2j + 1 its gradient change y (float32
  // halves the memory; the products with it are float64 in plain JS, float32 on a native runtime).
  const slots = Math.max(1, Math.min(m, opts.iterations));
  const hist = new Float32Array(2 * slots * n);
  const pairs = new PairProducts(slots);
  const kernels = opts.kernels ?? jsHistoryKernels;
  let histLen = 0;
  let histNext = 0;
  /** Slots written since the last reset (a prefix of the ring): the history's rows in use are 2·used. */
  let used = 0;
  let gamma = 1;

  const first = await f(x);
  evaluations++;
  if (!Number.isFinite(first.loss)) {
    throw new GramophoneError('INTERNAL', `The loss is not a finite number at the starting point (${first.loss})`);
  }
  const initial = snapshot(first);
  g.set(first.gradient);
  let fx = first.loss;
  let terms: LossTerms = { ...first.terms };
  let termsTrial = terms;
  let termsLo = terms;

  const isFixed = (i: number) => (x[i] <= lb && g[i] > 0) || (x[i] >= ub && g[i] < 0);

  /** The slots holding a pair, oldest first. */
  const order = (): number[] => Array.from({ length: histLen }, (_, k) => (histNext - histLen + k + slots) % slots);

  /**
   * d = −H·q (q the projected gradient, as the iteration left it) in the compact form
   * (history.ts): the products of the history with q, a small solve, and one combination.
   * Returns the slope gᵀd.
   * Called only with at least one pair in the history.
   */
  const quasiNewton = async (): Promise<number> => {
    const withQ = await kernels.products(hist, 2 * used, q, n);
    const coef = pairs.coefficients(order(), withQ, gamma);
    await kernels.combine(hist, coef.subarray(0, 2 * used), q, gamma, d, n);
    return finishDirection();
  };

  /** d = −q (the projected gradient); returns the slope. */
  const steepest = (): number => {
    d.set(q);
    return finishDirection();
  };

  /** Negate (d holds +H·g), drop components that would leave the box at once, return gᵀd. */
  const finishDirection = (): number => {
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let di = -d[i];
      if ((x[i] <= lb && di < 0) || (x[i] >= ub && di > 0) || isFixed(i)) di = 0;
      d[i] = di;
      slope += g[i] * di;
    }
    return slope;
  };

  /** Evaluate P(x + t·d) into xTrial/gTrial; null when the step changes nothing at float32. */
  const probe = async (t: number): Promise<{ point: Point; decrease: number } | null> => {
    // One pass before the evaluation: the trial point, the predicted decrease, and the
    // direction with the components the projection clipped zeroed (they do not move with t).
    let changed = false;
    let decrease = 0;
    for (let i = 0; i < n; i++) {
      const free = x[i] + t * d[i];
      const v = free < lb ? lb : free > ub ? ub : free;
      xTrial[i] = v;
      if (xTrial[i] !== x[i]) changed = true;
      decrease += g[i] * (xTrial[i] - x[i]);
      dFree[i] = free > lb && free < ub ? d[i] : 0;
    }
    if (!changed) return null;
    const ev = await f(xTrial);
    evaluations++;
    termsTrial = { ...ev.terms };
    // And one after: the gradient copied out of the objective's buffer, and the slope along the path.
    const grad = ev.gradient;
    let slope = 0;
    for (let i = 0; i < n; i++) {
      const gi = grad[i];
      gTrial[i] = gi;
      slope += gi * dFree[i];
    }
    return { point: { t, f: Number.isFinite(ev.loss) ? ev.loss : NaN, slope }, decrease };
  };

  const keepTrialAsLo = () => {
    [xLo, xTrial] = [xTrial, xLo];
    [gLo, gTrial] = [gTrial, gLo];
    termsLo = termsTrial;
  };

  /**
   * Strong-Wolfe line search from x along d. Leaves the accepted point in xTrial/gTrial
   * ('trial') or xLo/gLo ('lo'), or reports no point with a lower loss ('fail').
   */
  const lineSearch = async (t0: number, slope0: number): Promise<{ where: 'trial' | 'lo' | 'fail'; f: number }> => {
    const armijo = (p: Point, decrease: number) => p.f <= fx + C1 * decrease;
    const curvatureOk = (p: Point) => Math.abs(p.slope) <= -C2 * slope0;
    let lo: Point = { t: 0, f: fx, slope: slope0 };
    let hi: Point | null = null;
    let t = t0;
    let evals = 0;

    // Bracketing: grow t until the step is too long (bracket found) or Wolfe holds.
    while (evals < maxLs) {
      const r = await probe(t);
      evals++;
      if (!r) return lo.t > 0 ? { where: 'lo', f: lo.f } : { where: 'fail', f: fx };
      const p = r.point;
      if (Number.isNaN(p.f) || !armijo(p, r.decrease) || p.f >= lo.f) {
        hi = p;
        break;
      }
      if (curvatureOk(p)) return { where: 'trial', f: p.f };
      keepTrialAsLo();
      const prev = lo;
      lo = p;
      if (p.slope >= 0) {
        hi = prev;
        break;
      }
      t *= 4;
    }
    if (!hi) return lo.t > 0 ? { where: 'lo', f: lo.f } : { where: 'fail', f: fx };

    // Zoom: shrink [lo, hi] (either order) keeping lo the best point that passes Armijo.
    while (evals < maxLs) {
      const tj = interpolate(lo, hi);
      const r = await probe(tj);
      evals++;
      if (!r) break;
      const p = r.point;
      if (Number.isNaN(p.f) || !armijo(p, r.decrease) || p.f >= lo.f) {
        hi = p;
      } else {
        if (curvatureOk(p)) return { where: 'trial', f: p.f };
        if (p.slope * (hi.t - lo.t) >= 0) hi = lo;
        keepTrialAsLo();
        lo = p;
      }
    }
    return lo.t > 0 ? { where: 'lo', f: lo.f } : { where: 'fail', f: fx };
  };

  const resetHistory = () => {
    histLen = 0;
    histNext = 0;
    used = 0;
    gamma = 1;
  };

  let iterations = 0;
  let stopReason: StopReason = 'iterations';
  while (iterations < opts.iterations) {
    // The projected gradient q, its largest component and its 1-norm, in one pass.
    let pgMax = 0;
    let pgSum = 0;
    for (let i = 0; i < n; i++) {
      if (isFixed(i)) {
        q[i] = 0;
        continue;
      }
      q[i] = g[i];
      const a = Math.abs(g[i]);
      pgSum += a;
      if (a > pgMax) pgMax = a;
    }
    if (pgMax <= gtol) {
      stopReason = 'flat-gradient';
      break;
    }

    let slope0 = histLen > 0 ? await quasiNewton() : steepest();
    if (!(slope0 < 0)) {
      resetHistory();
      slope0 = steepest();
      if (!(slope0 < 0)) {
        stopReason = 'flat-gradient';
        break;
      }
    }
    // Without curvature information: towards the loss floor when known, else a step of length ≤ 1 in the 1-norm.
    const toFloor = opts.lossFloor !== undefined && fx > opts.lossFloor ? (fx - opts.lossFloor) / -slope0 : NaN;
    const t0 = histLen > 0 ? opts.learningRate : opts.learningRate * (Number.isFinite(toFloor) && toFloor > 0 ? toFloor : Math.min(1, 1 / pgSum));
    const ls = await lineSearch(t0, slope0);
    if (ls.where === 'fail') {
      if (histLen === 0) {
        stopReason = 'no-progress';
        break;
      }
      // A poor quasi-Newton direction: forget the curvature and retry along −g.
      resetHistory();
      continue;
    }
    const xNew = ls.where === 'trial' ? xTrial : xLo;
    const gNew = ls.where === 'trial' ? gTrial : gLo;
    const newTerms = ls.where === 'trial' ? termsTrial : termsLo;

    // Curvature pair; skipped unless sᵀy > 0 (with margin), which keeps H positive definite.
    const j = histNext;
    const off = 2 * j * n;
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      // Rounded to float32 as stored, so the products below see the stored pair.
      const si = Math.fround(xNew[i] - x[i]);
      const yi = Math.fround(gNew[i] - g[i]);
      hist[off + i] = si;
      hist[off + n + i] = yi;
      sy += si * yi;
      yy += yi * yi;
    }
    if (sy > 1e-10 * yy && yy > 0) {
      histNext = (j + 1) % slots;
      histLen = Math.min(histLen + 1, slots);
      used = Math.max(used, j + 1);
      const withS = await kernels.products(hist, 2 * used, hist.subarray(off, off + n), n);
      const withY = await kernels.products(hist, 2 * used, hist.subarray(off + n, off + 2 * n), n);
      pairs.record(j, withS, withY, order(), sy, yy);
      gamma = sy / yy;
    } else if (j < used) {
      // The skipped pair overwrote the oldest one (a full ring): forget that one too, and
      // leave zeros (never stale or non-finite values) in rows the products still read.
      hist.fill(0, off, off + 2 * n);
      if (histLen === slots) histLen--;
    }

    const fPrev = fx;
    if (ls.where === 'trial') {
      [x, xTrial] = [xTrial, x];
      [g, gTrial] = [gTrial, g];
    } else {
      [x, xLo] = [xLo, x];
      [g, gLo] = [gLo, g];
    }
    fx = ls.f;
    terms = newTerms;
    iterations++;
    if (opts.onIteration) await opts.onIteration(iterations, { loss: fx, terms, gradient: g }, x);
    if (Math.abs(fPrev - fx) <= ftol * Math.max(Math.abs(fPrev), Math.abs(fx))) {
      if (iterations < opts.iterations) stopReason = 'converged';
      break;
    }
    if (plateau.flat(fx) && iterations < opts.iterations) {
      stopReason = 'plateau';
      break;
    }
  }

  return {
    x: Float32Array.from(x),
    iterations,
    stopReason,
    evaluations,
    initial,
    final: snapshot({ loss: fx, terms, gradient: g }),
  };
}

/**
 * Step inside the bracket: the minimiser of the cubic through both ends' values and
 * slopes (N&W eq. 3.59), kept at least 10% of the width from either end; bisection when
 * the cubic is unusable (a non-finite end, no real minimum).
 */
function interpolate(a: Point, b: Point): number {
  const lo = Math.min(a.t, b.t);
  const width = Math.abs(b.t - a.t);
  const mid = (a.t + b.t) / 2;
  if (!Number.isFinite(a.f) || !Number.isFinite(b.f)) return mid;
  const d1 = a.slope + b.slope - (3 * (a.f - b.f)) / (a.t - b.t);
  const disc = d1 * d1 - a.slope * b.slope;
  if (!(disc >= 0)) return mid;
  const d2 = Math.sign(b.t - a.t) * Math.sqrt(disc);
  const t = b.t - ((b.t - a.t) * (b.slope + d2 - d1)) / (b.slope - a.slope + 2 * d2);
  if (!Number.isFinite(t)) return mid;
  return Math.min(Math.max(t, lo + 0.1 * width), lo + 0.9 * width);
}
