/**
 * A float64 implementation of the shared ops, as plain loops: the test oracle for every
 * module. Running a module's own forward computation here in float64 and differencing it
 * gives gradients accurate to ~1e-8, against which both backends' gradients (the onnx
 * tracer's derived graph, tf.grad) are checked. It is slow and only for small shapes.
 */
import { LOSS_TERMS, perTerm } from '../../../common/loss-terms';
import type { LossTerms } from '../../../common/audio';
import type { Ops, Padding, PoolMode } from '../../../engine/objective/ops';
import type { ObjectiveSetup } from '../../../engine/objective/objective';
import { NORM_EPSILON } from '../../../engine/objective/objective';
import { forwardNetwork } from '../../../engine/objective/network';
import { planObjective } from '../../../engine/objective/plan';
import { shapeOf } from '../../../engine/objective/layout';

/** A float64 tensor. */
export interface R {
  shape: number[];
  data: Float64Array;
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const strides = (s: readonly number[]) => {
  const out = new Array<number>(s.length).fill(1);
  for (let i = s.length - 2; i >= 0; i--) out[i] = out[i + 1] * s[i + 1];
  return out;
};
const make = (shape: readonly number[], fill?: (i: number) => number): R => {
  const data = new Float64Array(size(shape));
  if (fill) for (let i = 0; i < data.length; i++) data[i] = fill(i);
  return { shape: [...shape], data };
};

export class ReferenceOps implements Ops<R> {
  constructor(private readonly params: ReadonlyMap<string, { shape: number[]; data: Float32Array }>) {}

  constant = (data: Float32Array, shape: readonly number[]): R => make(shape, (i) => data[i]);
  param = (id: string): R => {
    const p = this.params.get(id)!;
    return make(p.shape, (i) => p.data[i]);
  };

  private broadcast(a: R, b: R, fn: (x: number, y: number) => number): R {
    const n = Math.max(a.shape.length, b.shape.length);
    const pa = [...new Array(n - a.shape.length).fill(1), ...a.shape];
    const pb = [...new Array(n - b.shape.length).fill(1), ...b.shape];
    const shape = pa.map((d, i) => Math.max(d, pb[i]));
    const [sa, sb, so] = [strides(pa), strides(pb), strides(shape)];
    return make(shape, (i) => {
      let ia = 0;
      let ib = 0;
      for (let k = 0; k < n; k++) {
        const c = Math.floor(i / so[k]) % shape[k];
        ia += (pa[k] === 1 ? 0 : c) * sa[k];
        ib += (pb[k] === 1 ? 0 : c) * sb[k];
      }
      return fn(a.data[ia], b.data[ib]);
    });
  }

  private map = (a: R, fn: (x: number) => number): R => make(a.shape, (i) => fn(a.data[i]));

  add = (a: R, b: R) => this.broadcast(a, b, (x, y) => x + y);
  sub = (a: R, b: R) => this.broadcast(a, b, (x, y) => x - y);
  mul = (a: R, b: R) => this.broadcast(a, b, (x, y) => x * y);
  div = (a: R, b: R) => this.broadcast(a, b, (x, y) => x / y);
  scale = (a: R, s: number) => this.map(a, (x) => x * s);
  shift = (a: R, s: number) => this.map(a, (x) => x + s);
  relu = (a: R) => this.map(a, (x) => Math.max(0, x));
  selu = (a: R) => this.map(a, (x) => (x > 0 ? 1.0507009873554805 * x : 1.0507009873554805 * 1.6732632423543772 * Math.expm1(x)));
  tanh = (a: R) => this.map(a, Math.tanh);
  leakyRelu = (a: R, slope: number) => this.map(a, (x) => (x > 0 ? x : slope * x));
  exp = (a: R) => this.map(a, Math.exp);
  log = (a: R) => this.map(a, Math.log);
  sqrt = (a: R) => this.map(a, Math.sqrt);
  pow = (a: R, p: number) => this.map(a, (x) => x ** p);

  private reduce(a: R, axes: readonly number[], keepDims: boolean, mean: boolean): R {
    const ax = axes.map((i) => (i < 0 ? i + a.shape.length : i));
    const kept = a.shape.map((d, i) => (ax.includes(i) ? 1 : d));
    const out = make(kept);
    const [sa, sk] = [strides(a.shape), strides(kept)];
    for (let i = 0; i < a.data.length; i++) {
      let j = 0;
      for (let k = 0; k < a.shape.length; k++) if (!ax.includes(k)) j += (Math.floor(i / sa[k]) % a.shape[k]) * sk[k];
      out.data[j] += a.data[i];
    }
    const count = ax.reduce((n, i) => n * a.shape[i], 1);
    if (mean) for (let j = 0; j < out.data.length; j++) out.data[j] /= count;
    return keepDims ? out : { shape: a.shape.filter((_d, i) => !ax.includes(i)), data: out.data };
  }

  sum = (a: R, axes: readonly number[], keepDims: boolean) => this.reduce(a, axes, keepDims, false);
  mean = (a: R, axes: readonly number[], keepDims: boolean) => this.reduce(a, axes, keepDims, true);
  reshape = (a: R, shape: readonly number[]): R => ({ shape: [...shape], data: a.data });

  transpose(a: R, perm: readonly number[]): R {
    const shape = perm.map((p) => a.shape[p]);
    const [sa, so] = [strides(a.shape), strides(shape)];
    return make(shape, (i) => {
      let j = 0;
      for (let k = 0; k < shape.length; k++) j += (Math.floor(i / so[k]) % shape[k]) * sa[perm[k]];
      return a.data[j];
    });
  }

  matmul(a: R, b: R, transA = false, transB = false): R {
    const A = transA ? this.transpose(a, [1, 0]) : a;
    const B = transB ? this.transpose(b, [1, 0]) : b;
    const [m, k] = A.shape;
    const n = B.shape[1];
    const out = make([m, n]);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += A.data[i * k + q] * B.data[q * n + j];
        out.data[i * n + j] = s;
      }
    return out;
  }

  gram = (a: R): R => this.scale(this.matmul(a, a, true, false), 1 / a.shape[0]);

  conv1d(x: R, w: R): R {
    const [T, C] = x.shape;
    const [K, , N] = w.shape;
    const out = make([T - K + 1, N]);
    for (let t = 0; t <= T - K; t++)
      for (let n = 0; n < N; n++) {
        let s = 0;
        for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) s += x.data[(t + k) * C + c] * w.data[(k * C + c) * N + n];
        out.data[t * N + n] = s;
      }
    return out;
  }

  conv2d(x: R, w: R, padding: Padding): R {
    const [C, T, F] = x.shape;
    const [O, , kT, kF] = w.shape;
    const [pt, pf] = padding === 'same' ? [Math.floor((kT - 1) / 2), Math.floor((kF - 1) / 2)] : [0, 0];
    const To = padding === 'same' ? T : T - kT + 1;
    const Fo = padding === 'same' ? F : F - kF + 1;
    const out = make([O, To, Fo]);
    for (let o = 0; o < O; o++)
      for (let t = 0; t < To; t++)
        for (let f = 0; f < Fo; f++) {
          let s = 0;
          for (let c = 0; c < C; c++)
            for (let i = 0; i < kT; i++)
              for (let j = 0; j < kF; j++) {
                const ti = t + i - pt;
                const fj = f + j - pf;
                if (ti < 0 || ti >= T || fj < 0 || fj >= F) continue;
                s += x.data[(c * T + ti) * F + fj] * w.data[((o * C + c) * kT + i) * kF + j];
              }
          out.data[(o * To + t) * Fo + f] = s;
        }
    return out;
  }

  pool(x: R, mode: PoolMode, pt: number, pf: number): R {
    const [C, T, F] = x.shape;
    const To = Math.floor(T / pt);
    const Fo = Math.floor(F / pf);
    const out = make([C, To, Fo]);
    for (let c = 0; c < C; c++)
      for (let t = 0; t < To; t++)
        for (let f = 0; f < Fo; f++) {
          let acc = mode === 'max' ? -Infinity : 0;
          for (let i = 0; i < pt; i++)
            for (let j = 0; j < pf; j++) {
              const v = x.data[(c * T + t * pt + i) * F + f * pf + j];
              acc = mode === 'max' ? Math.max(acc, v) : acc + v / (pt * pf);
            }
          out.data[(c * To + t) * Fo + f] = acc;
        }
    return out;
  }

  squaredDistance(a: R, target: R): R {
    let s = 0;
    for (let i = 0; i < a.data.length; i++) s += (a.data[i] - target.data[i]) ** 2;
    return make([], () => s);
  }
}

const sumSquares = (d: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i] * d[i];
  return s;
};

/**
 * The loss and every term at x, in float64, with the same plan, modules and targets as the
 * backends (targets computed here too, from the setup's inputs).
 */
export function referenceObjective(setup: ObjectiveSetup): (x: ArrayLike<number>) => { loss: number; terms: LossTerms } {
  const plan = planObjective(setup);
  const ops = new ReferenceOps(new Map(plan.params.map((p) => [p.id, p])));
  const F = setup.bins;
  const targets = new Map<string, { t: R; norm: number; share: number }[]>();
  for (const term of plan.terms) {
    const [x, frames, layouts, depth] =
      term.source === 'content' ? [setup.content, setup.frames, plan.layouts.take, plan.depth.content] : [setup.style, setup.styleFrames, plan.layouts.style, plan.depth.style];
    term.reads.forEach((read, ri) => {
      let parts: R[];
      if (term.module.targetFromX) {
        const shapes = term.module.compute(ops, make(shapeOf(plan.layouts.take[read.layer])), plan.layouts.take[read.layer], plan.context).map((p) => p.shape);
        parts = term.module.targetFromX(x, frames, plan.context).map((d, i) => make(shapes[i], (j) => d[j]));
      } else {
        const values = forwardNetwork(
          ops,
          make([frames, F], (i) => x[i]),
          plan.network,
          layouts,
          depth,
        );
        parts = term.module.compute(ops, values[read.layer], layouts[read.layer], plan.context);
      }
      targets.set(
        `${term.name}.${ri}`,
        parts.map((t) => ({ t, norm: sumSquares(t.data), share: read.share / parts.length })),
      );
    });
  }
  return (x) => {
    const values = forwardNetwork(
      ops,
      make([setup.frames, F], (i) => x[i]),
      plan.network,
      plan.layouts.take,
      plan.depth.take,
    );
    const terms = perTerm(() => 0);
    for (const term of plan.terms) {
      term.reads.forEach((read, ri) => {
        const parts = term.module.compute(ops, values[read.layer], plan.layouts.take[read.layer], plan.context);
        const t = targets.get(`${term.name}.${ri}`)!;
        parts.forEach((p, i) => (terms[term.name] += (t[i].share * ops.squaredDistance(p, t[i].t).data[0]) / (t[i].norm + NORM_EPSILON)));
      });
    }
    let loss = 0;
    for (const name of LOSS_TERMS) loss += setup.preset.weights[name] * terms[name];
    return { loss, terms };
  };
}

/** ∂L/∂x[i] by central differences of the float64 reference, at the given coordinates. */
export function referenceGradient(loss: (x: ArrayLike<number>) => { loss: number }, x: ArrayLike<number>, indices: readonly number[], h = 1e-5): number[] {
  const xp = Float64Array.from(x);
  return indices.map((i) => {
    const v = xp[i];
    xp[i] = v + h;
    const up = loss(xp).loss;
    xp[i] = v - h;
    const down = loss(xp).loss;
    xp[i] = v;
    return (up - down) / (2 * h);
  });
}
