/** Small test problems for the optimisers, evaluated in float64 and handed out as float32. */
import { perTerm } from '../../../common/loss-terms';
import type { Evaluation } from '../../../engine/objective/objective';
import type { AsyncObjective } from '../../../engine/optim/types';
import { createRng } from '../../../engine/random';

const terms = (loss: number) => ({ ...perTerm(() => 0), content: loss });

/** Wraps a float64 loss/gradient function as an AsyncObjective; counts its calls. */
export function asObjective(fn: (x: Float32Array, g: Float64Array) => number, options: { reuseBuffer?: boolean } = {}) {
  let shared: Float32Array | null = null;
  const obj = {
    calls: 0,
    f: (async (x: Float32Array): Promise<Evaluation> => {
      obj.calls++;
      const g = new Float64Array(x.length);
      const loss = fn(x, g);
      const out = options.reuseBuffer ? (shared ??= new Float32Array(x.length)) : new Float32Array(x.length);
      out.set(g);
      return { loss, terms: terms(loss), gradient: out };
    }) as AsyncObjective,
  };
  return obj;
}

/** Rosenbrock in z = x − shift: minimum at x = 1 + shift in every coordinate. */
export function rosenbrock(shift: number) {
  return (x: Float32Array, g: Float64Array): number => {
    let f = 0;
    for (let i = 0; i + 1 < x.length; i++) {
      const a = x[i] - shift;
      const b = x[i + 1] - shift;
      const r = b - a * a;
      f += 100 * r * r + (1 - a) ** 2;
      g[i] += -400 * a * r - 2 * (1 - a);
      g[i + 1] += 200 * r;
    }
    return f;
  };
}

/** A random symmetric positive-definite n × n matrix (row-major), eigenvalues ≥ `floor`. */
export function randomSpd(n: number, seed: number, floor = 0.1): Float64Array {
  const rng = createRng(seed);
  const q = Float64Array.from({ length: n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[k * n + i] * q[k * n + j];
      a[i * n + j] = s / n + (i === j ? floor : 0);
    }
  return a;
}

/** f = ½(x − c)ᵀA(x − c), ∇f = A(x − c). */
export function quadratic(a: Float64Array, c: Float64Array) {
  const n = c.length;
  return (x: Float32Array, g: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * (x[j] - c[j]);
      g[i] = s;
      f += 0.5 * (x[i] - c[i]) * s;
    }
    return f;
  };
}

/**
 * The minimiser of ½(x − c)ᵀA(x − c) over x ≥ 0 to ~1e-12, by projected gradient descent
 * with step 1/‖A‖ (slow but certain for a convex quadratic).
 */
export function boxQuadraticSolution(a: Float64Array, c: Float64Array, sweeps = 200_000): Float64Array {
  const n = c.length;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) row += Math.abs(a[i * n + j]);
    norm = Math.max(norm, row);
  }
  const x = new Float64Array(n);
  const g = new Float64Array(n);
  for (let it = 0; it < sweeps; it++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * (x[j] - c[j]);
      g[i] = s;
    }
    for (let i = 0; i < n; i++) {
      const v = Math.max(0, x[i] - g[i] / norm);
      moved = Math.max(moved, Math.abs(v - x[i]));
      x[i] = v;
    }
    if (moved < 1e-14) break;
  }
  return x;
}

export function randomVector(n: number, seed: number, lo: number, hi: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.next());
}
