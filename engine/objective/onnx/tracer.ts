/**
 * The onnx implementation of the shared ops (engine/objective/ops.ts): each op adds nodes to
 * an ONNX graph and records its reverse-mode rule, so a module's gradient is derived from its
 * forward computation instead of being written by hand.
 *
 * Rules that make the derived graph fast and deterministic (and keep version-1 takes
 * bit-identical to the hand-written graph they replace):
 * - Gradient contributions to a value are summed in the forward order of the ops that
 *   consumed it, whatever order the reverse pass meets them in.
 * - A loss term is seeded symbolically (weight w, normaliser n), and constant factors met on
 *   the way back (2 from a square, 1/m from a mean, 1/rows from a Gram) are collected into
 *   one number k, so a gradient is scaled once, by (w · k) / (n + ε), where it is first used.
 * - Consumers that can take the scale themselves do: a Gram's gradient is one Gemm whose
 *   alpha is the scale and whose C is the running sum; a mean's gradient stays [T, 1] and is
 *   broadcast by the Add that sums it.
 */
import { GraphBuilder } from './graph';
import { DataType, type AttrValue } from './proto';
import { NORM_EPSILON } from '../objective';
import type { Ops, Padding, PoolMode, TensorRef } from '../ops';
import { spectralConv, spectralConvGrad, spectralPlan, type SpectralPlan } from './spectral-conv';

/** SELU constants as in ONNX's Selu defaults (and tf.selu). */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_GAMMA = 1.0507009873554805;

/** A value in the graph: its name and static shape. */
export interface Val extends TensorRef {
  readonly name: string;
  readonly shape: readonly number[];
  /** Depends on the differentiated input. */
  readonly grad: boolean;
  /** Known to be a symmetric matrix (a Gram, or a difference of Grams). */
  readonly sym: boolean;
}

/** A loss term's seed: its gradient is scaled by (weight · k) / (norm + ε). */
export interface Seed {
  weight: number;
  norm: number;
}

/**
 * A gradient arriving at a value: materialised, or `v` (null: the scalar 1) times
 * (seed.weight · k) / (seed.norm + ε), broadcast to the value's shape.
 */
export type Grad = { kind: 'val'; v: Val } | { kind: 'lazy'; v: Val | null; k: number; seed: Seed };
type Lazy = Extract<Grad, { kind: 'lazy' }>;

/** One consumer's gradient contribution to a value. */
export interface Contribution {
  /** Set when the contribution can be passed on unscaled (if it is the value's only one). */
  lazy?: Lazy;
  /** Add it to the running sum `prev` (null for the first). */
  fold(prev: Val | null): Val;
}

interface TapeEntry {
  index: number;
  out: Val;
  inputs: Val[];
  vjp: (g: Grad) => (Contribution | null)[];
}

/** The conv1d weights as the graph takes them: W [F, N] for K = 1, else spectral weights (spectral-conv.ts). */
export type Conv1dWeights = { plan: null; w: Val } | { plan: SpectralPlan; w0: Val; wc: Val };

/** A declared param: its shape and the graph inputs it became on first use. */
export interface ParamUse {
  shape: number[];
  val?: Val;
  conv1d?: Conv1dWeights;
}

const coefOf = (seed: Seed, k: number) => (seed.weight * k) / (seed.norm + NORM_EPSILON);
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const sizeOf = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** The block plan for a conv1d kernel width, or null when the conv is a plain MatMul (K = 1). */
export const conv1dPlan = (kernel: number): SpectralPlan | null => (kernel > 1 ? spectralPlan(kernel) : null);

/** Builds one graph from shared-op calls and differentiates it (see the file comment). */
export class Tracer implements Ops<Val> {
  readonly g: GraphBuilder;
  private readonly tape: TapeEntry[] = [];
  private readonly params = new Map<string, ParamUse>();

  constructor(name: string) {
    this.g = new GraphBuilder(name);
  }

  // ---- values, inputs, outputs -----------------------------------------------------------

  private val(name: string, shape: readonly number[], grad = false, sym = false): Val {
    return { name, shape: [...shape], grad, sym };
  }

  /** A graph input; `differentiable` marks the variable the gradient is taken for. */
  input(name: string, shape: readonly number[], opts: { differentiable?: boolean; sym?: boolean } = {}): Val {
    return this.val(this.g.input(name, shape), shape, opts.differentiable ?? false, opts.sym ?? false);
  }

  /** Expose a value as a graph output (`double` for float64 sums). */
  output(v: Val, name: string, double = false): void {
    this.g.output(v.name, name, v.shape, double ? DataType.DOUBLE : DataType.FLOAT);
  }

  /** Declare a layer's weights; its graph inputs are added on first use (`paramUses`). */
  declareParam(id: string, shape: number[]): void {
    this.params.set(id, { shape });
  }

  /** How each declared param entered the graph (none, a plain input, or conv1d weights). */
  paramUses(): ReadonlyMap<string, ParamUse> {
    return this.params;
  }

  /** A recorded op: its output, and its reverse-mode rule if any input needs a gradient. */
  private node(op: string, inputs: Val[], attrs: Record<string, AttrValue> | undefined, shape: readonly number[], vjp: TapeEntry['vjp'], extra: Val[] = [], sym = false): Val {
    const out = this.val(
      this.g.op(
        op,
        [...inputs, ...extra].map((i) => i.name),
        attrs,
      ),
      shape,
      inputs.some((i) => i.grad),
      sym,
    );
    if (out.grad) this.record(out, inputs, vjp);
    return out;
  }

  private record(out: Val, inputs: Val[], vjp: TapeEntry['vjp']): void {
    this.tape.push({ index: this.tape.length, out, inputs, vjp });
  }

  /** A node the gradient never passes through. */
  private plain(op: string, inputs: (Val | string)[], attrs: Record<string, AttrValue> | undefined, shape: readonly number[]): Val {
    return this.val(
      this.g.op(
        op,
        inputs.map((i) => (typeof i === 'string' ? i : i.name)),
        attrs,
      ),
      shape,
    );
  }

  private num(v: number): string {
    return this.g.floats(v);
  }

  private mulBy(v: Val, c: number): Val {
    return this.plain('Mul', [v, this.num(c)], undefined, v.shape);
  }

  private expandTo(v: Val, shape: readonly number[]): Val {
    return sameShape(v.shape, shape) ? v : this.plain('Expand', [v, this.g.ints(shape)], undefined, shape);
  }

  /** The gradient as a value of `shape`: scaled if lazy, expanded if broadcast. */
  private materialise(g: Grad, shape: readonly number[]): Val {
    if (g.kind === 'val') return this.expandTo(g.v, shape);
    const c = coefOf(g.seed, g.k);
    return this.expandTo(g.v ? this.mulBy(g.v, c) : this.val(this.num(c), []), shape);
  }

  /** A contribution of `v` (the value's shape, or broadcastable to it). */
  private plainContribution(v: Val, shape: readonly number[]): Contribution {
    return { fold: (prev) => (prev ? this.plain('Add', [prev, v], undefined, shape) : this.expandTo(v, shape)) };
  }

  /** Pass `g` on to an input of `shape`, times `factor`; lazy gradients stay lazy. */
  private passOn(g: Grad, shape: readonly number[], factor = 1): Contribution {
    if (g.kind === 'val') return this.plainContribution(factor === 1 ? g.v : this.mulBy(g.v, factor), shape);
    const lazy: Lazy = { ...g, k: g.k * factor };
    return { lazy, fold: (prev) => this.plainContribution(this.materialise(lazy, lazy.v?.shape ?? []), shape).fold(prev) };
  }

  /** Sum a gradient of shape `to` over the axes along which `from` was broadcast. */
  private unbroadcast(g: Val, from: readonly number[], to: readonly number[]): Val {
    if (sameShape(from, to)) return g;
    const pad = to.length - from.length;
    const axes: number[] = [];
    for (let i = 0; i < to.length; i++) if (i < pad || (from[i - pad] === 1 && to[i] !== 1)) axes.push(i);
    const summed = this.plain(
      'ReduceSum',
      [g, this.g.ints(axes)],
      { keepdims: 1 },
      to.map((d, i) => (axes.includes(i) ? 1 : d)),
    );
    return this.plain('Reshape', [summed, this.g.ints(from)], undefined, from);
  }

  private broadcastShape(a: readonly number[], b: readonly number[]): number[] {
    const n = Math.max(a.length, b.length);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = a[a.length - n + i] ?? 1;
      const y = b[b.length - n + i] ?? 1;
      if (x !== y && x !== 1 && y !== 1) throw new Error(`shapes [${a}] and [${b}] do not broadcast`);
      out.push(x === 1 ? y : x);
    }
    return out;
  }

  // ---- constants and params --------------------------------------------------------------

  constant(data: Float32Array, shape: readonly number[]): Val {
    return this.val(this.g.floats(data, [...shape]), shape);
  }

  /** A handle for a layer's weights: only the conv ops take it, and each declares the graph inputs it needs. */
  param(id: string): Val {
    const p = this.params.get(id);
    if (!p) throw new Error(`undeclared param "${id}"`);
    return this.val(id, p.shape);
  }

  /** The weights as one plain graph input (declared on first use). */
  private plainParam(w: Val): Val {
    const p = this.params.get(w.name);
    if (!p) throw new Error('conv weights must be a declared param');
    p.val ??= this.input(w.name, p.shape);
    return p.val;
  }

  // ---- elementwise -----------------------------------------------------------------------

  add(a: Val, b: Val): Val {
    return this.addOrSub('Add', a, b, 1);
  }

  sub(a: Val, b: Val): Val {
    return this.addOrSub('Sub', a, b, -1);
  }

  /** a + b (`Add`, sign 1) or a − b (`Sub`, sign −1), broadcast: b's gradient is the incoming one times `sign`. */
  private addOrSub(op: 'Add' | 'Sub', a: Val, b: Val, sign: 1 | -1): Val {
    const shape = this.broadcastShape(a.shape, b.shape);
    // x's share of the incoming gradient g, times `factor`, summed over the axes x was broadcast along.
    const part = (g: Grad, x: Val, factor: number): Contribution | null => {
      if (!x.grad) return null;
      if (sameShape(x.shape, shape)) return this.passOn(g, x.shape, factor);
      const full = this.materialise(g, shape);
      return this.plainContribution(this.unbroadcast(factor === 1 ? full : this.mulBy(full, factor), x.shape, shape), x.shape);
    };
    return this.node(op, [a, b], undefined, shape, (g) => [part(g, a, 1), part(g, b, sign)], [], a.sym && b.sym);
  }

  mul(a: Val, b: Val): Val {
    const shape = this.broadcastShape(a.shape, b.shape);
    return this.node('Mul', [a, b], undefined, shape, (g) => {
      const gv = this.materialise(g, shape);
      const part = (x: Val, other: Val) => this.plainContribution(this.unbroadcast(this.plain('Mul', [gv, other], undefined, shape), x.shape, shape), x.shape);
      return [a.grad ? part(a, b) : null, b.grad ? part(b, a) : null];
    });
  }

  div(a: Val, b: Val): Val {
    const shape = this.broadcastShape(a.shape, b.shape);
    const out: Val = this.node('Div', [a, b], undefined, shape, (g) => {
      const ga = this.plain('Div', [this.materialise(g, shape), b], undefined, shape);
      return [
        a.grad ? this.plainContribution(this.unbroadcast(ga, a.shape, shape), a.shape) : null,
        // ∂(a/b)/∂b = −(a/b)/b
        b.grad ? this.plainContribution(this.unbroadcast(this.mulBy(this.plain('Mul', [ga, out], undefined, shape), -1), b.shape, shape), b.shape) : null,
      ];
    });
    return out;
  }

  scale(a: Val, s: number): Val {
    return this.node('Mul', [a], undefined, a.shape, (g) => [this.passOn(g, a.shape, s)], [this.val(this.num(s), [])], a.sym);
  }

  shift(a: Val, s: number): Val {
    return this.node('Add', [a], undefined, a.shape, (g) => [this.passOn(g, a.shape)], [this.val(this.num(s), [])]);
  }

  /** An elementwise op with derivative `dydx(x, y)`; its incoming gradient is materialised. */
  private unary(op: string, a: Val, dydx: (x: Val, y: Val) => Val, attrs?: Record<string, AttrValue>, extra: Val[] = []): Val {
    const out: Val = this.node(op, [a], attrs, a.shape, (g) => [this.plainContribution(this.plain('Mul', [this.materialise(g, a.shape), dydx(a, out)], undefined, a.shape), a.shape)], extra);
    return out;
  }

  relu(a: Val): Val {
    // relu'(z) = [relu(z) > 0], as min(max(relu(z)·2¹⁰⁰, 0), 1): 1 for every output above
    // 2⁻¹⁰⁰ (and +∞ clips to 1). onnxruntime's Sign is scalar code, 16 % of a conv2d stack's
    // evaluation; Mul and Clip are vectorised, and an elementwise Mul is far cheaper than a
    // broadcasting Where.
    return this.unary('Relu', a, (_x, y) => this.plain('Clip', [this.mulBy(y, 2 ** 100), this.num(0), this.num(1)], undefined, y.shape));
  }

  tanh(a: Val): Val {
    return this.unary('Tanh', a, (_x, y) => this.plain('Sub', [this.num(1), this.plain('Mul', [y, y], undefined, y.shape)], undefined, y.shape));
  }

  selu(a: Val): Val {
    // selu'(z) = γ for z > 0, else γ·α·e^z = y + γ·α.
    return this.unary(
      'Selu',
      a,
      (x, y) => {
        const neg = this.plain('Add', [y, this.num(SELU_GAMMA * SELU_ALPHA)], undefined, y.shape);
        return this.plain('Where', [this.plain('Greater', [x, this.num(0)], undefined, x.shape), this.num(SELU_GAMMA), neg], undefined, y.shape);
      },
      { alpha: { float: SELU_ALPHA }, gamma: { float: SELU_GAMMA } },
    );
  }

  leakyRelu(a: Val, slope: number): Val {
    return this.unary('LeakyRelu', a, (x) => this.plain('Where', [this.plain('Greater', [x, this.num(0)], undefined, x.shape), this.num(1), this.num(slope)], undefined, x.shape), {
      alpha: { float: slope },
    });
  }

  exp(a: Val): Val {
    return this.unary('Exp', a, (_x, y) => y);
  }

  log(a: Val): Val {
    return this.unary('Log', a, (x) => this.plain('Reciprocal', [x], undefined, x.shape));
  }

  sqrt(a: Val): Val {
    return this.unary('Sqrt', a, (_x, y) => this.plain('Div', [this.num(0.5), y], undefined, y.shape));
  }

  pow(a: Val, p: number): Val {
    return this.unary('Pow', a, (x) => this.mulBy(this.plain('Pow', [x, this.num(p - 1)], undefined, x.shape), p), undefined, [this.val(this.num(p), [])]);
  }

  // ---- reductions and shapes -------------------------------------------------------------

  private reduce(op: 'ReduceSum' | 'ReduceMean', a: Val, axes: readonly number[], keepDims: boolean): Val {
    const ax = axes.map((i) => (i < 0 ? i + a.shape.length : i));
    const kept = a.shape.map((d, i) => (ax.includes(i) ? 1 : d));
    const shape = keepDims ? kept : a.shape.filter((_d, i) => !ax.includes(i));
    const factor = op === 'ReduceMean' ? 1 / ax.reduce((n, i) => n * a.shape[i], 1) : 1;
    // Opset 17: ReduceSum takes its axes as an input, ReduceMean as an attribute.
    const sumAxes = op === 'ReduceSum' ? [this.val(this.g.ints(ax), [ax.length])] : [];
    const attrs: Record<string, AttrValue> = op === 'ReduceSum' ? { keepdims: keepDims ? 1 : 0 } : { axes: ax, keepdims: keepDims ? 1 : 0 };
    return this.node(
      op,
      [a],
      attrs,
      shape,
      (g) => {
        // Back at the kept shape; whoever sums it (or an Expand) broadcasts it over the axes.
        if (keepDims) return [this.passOn(g, a.shape, factor)];
        return [this.passOn({ kind: 'val', v: this.plain('Reshape', [this.materialise(g, shape), this.g.ints(kept)], undefined, kept) }, a.shape, factor)];
      },
      sumAxes,
    );
  }

  sum(a: Val, axes: readonly number[], keepDims: boolean): Val {
    return this.reduce('ReduceSum', a, axes, keepDims);
  }

  mean(a: Val, axes: readonly number[], keepDims: boolean): Val {
    return this.reduce('ReduceMean', a, axes, keepDims);
  }

  reshape(a: Val, shape: readonly number[]): Val {
    if (sizeOf(shape) !== sizeOf(a.shape)) throw new Error(`cannot reshape [${a.shape}] to [${shape}]`);
    if (sameShape(a.shape, shape)) return a;
    return this.node('Reshape', [a], undefined, shape, (g) => [this.plainContribution(this.plain('Reshape', [this.materialise(g, shape), this.g.ints(a.shape)], undefined, a.shape), a.shape)], [
      this.val(this.g.ints(shape), [shape.length]),
    ]);
  }

  transpose(a: Val, perm: readonly number[]): Val {
    const shape = perm.map((p) => a.shape[p]);
    const inverse = perm.map((_p, i) => perm.indexOf(i));
    return this.node('Transpose', [a], { perm: [...perm] }, shape, (g) => [this.plainContribution(this.plain('Transpose', [this.materialise(g, shape)], { perm: inverse }, a.shape), a.shape)]);
  }

  /** A Gemm node (alpha and a running sum C when given). */
  gemm(a: Val, b: Val, transA: boolean, transB: boolean, shape: readonly number[], alpha = 1, c: Val | null = null): Val {
    const attrs: Record<string, AttrValue> = {};
    if (transA) attrs.transA = 1;
    if (transB) attrs.transB = 1;
    if (alpha !== 1) attrs.alpha = { float: alpha };
    if (c) attrs.beta = { float: 1 };
    return this.plain('Gemm', c ? [a, b, c] : [a, b], attrs, shape);
  }

  matmul(a: Val, b: Val, transA = false, transB = false): Val {
    const [m, k] = transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
    const [k2, n] = transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
    if (k !== k2) throw new Error(`matmul of [${a.shape}] and [${b.shape}] does not fit`);
    return this.node('Gemm', [a, b], { ...(transA ? { transA: 1 } : {}), ...(transB ? { transB: 1 } : {}) }, [m, n], (g) => {
      const gv = this.materialise(g, [m, n]);
      // With Y = op(A)·op(B): dA = dY·op(B)ᵀ (or its transpose), dB = op(A)ᵀ·dY (or its transpose).
      const da = () => (transA ? this.gemm(b, gv, transB, true, a.shape) : this.gemm(gv, b, false, !transB, a.shape));
      const db = () => (transB ? this.gemm(gv, a, true, transA, b.shape) : this.gemm(a, gv, !transA, false, b.shape));
      return [a.grad ? this.plainContribution(da(), a.shape) : null, b.grad ? this.plainContribution(db(), b.shape) : null];
    });
  }

  /**
   * G = AᵀA / rows for A [rows, C] → [C, C], symmetric. For a symmetric dG the gradient is
   * 2·A·dG / rows: one Gemm that also adds the running sum.
   */
  gram(a: Val): Val {
    const [rows, c] = a.shape;
    return this.node(
      'Gemm',
      [a, a],
      { transA: 1, alpha: { float: 1 / rows } },
      [c, c],
      (g) => {
        if (g.kind === 'lazy' && g.v?.sym) {
          const { v, seed } = g;
          const k = g.k * 2 * (1 / rows);
          return [{ fold: (prev) => this.gemm(a, v, false, false, a.shape, coefOf(seed, k), prev) }, null];
        }
        const gv = this.materialise(g, [c, c]);
        const sym = g.kind === 'val' ? g.v.sym : (g.v?.sym ?? false);
        const both = sym ? this.mulBy(gv, 2) : this.plain('Add', [gv, this.plain('Transpose', [gv], { perm: [1, 0] }, [c, c])], undefined, [c, c]);
        return [this.plainContribution(this.gemm(a, both, false, false, a.shape, 1 / rows), a.shape), null];
      },
      [],
      true,
    );
  }

  // ---- convolution and pooling -----------------------------------------------------------

  /** The conv1d weights' graph inputs: W as [F, N] for K = 1, else the spectral weights w0, wc. */
  private conv1dWeights(w: Val): Conv1dWeights {
    const p = this.params.get(w.name);
    if (!p) throw new Error('conv1d weights must be a declared param');
    if (!p.conv1d) {
      const [K, F, N] = p.shape;
      const plan = conv1dPlan(K);
      p.conv1d = plan ? { plan, w0: this.input(`${w.name}.w0`, [2, F, N]), wc: this.input(`${w.name}.wc`, [2 * plan.half, F, N]) } : { plan: null, w: this.input(`${w.name}.w`, [F, N]) };
    }
    return p.conv1d;
  }

  conv1d(x: Val, w: Val): Val {
    const [T, F] = x.shape;
    const [K, , N] = this.params.get(w.name)?.shape ?? w.shape;
    const cw = this.conv1dWeights(w);
    const tp = T - K + 1;
    const shape = [tp, N];
    if (cw.plan) {
      const plan = cw.plan;
      const out = this.val(spectralConv(this.g, x.name, cw.w0.name, cw.wc.name, plan, T, F, N), shape, x.grad);
      if (out.grad) this.record(out, [x], (g) => [this.plainContribution(this.val(spectralConvGrad(this.g, this.materialise(g, shape).name, cw.w0.name, cw.wc.name, plan, T, F, N), [T, F]), [T, F])]);
      return out;
    }
    const out = this.val(this.g.op('MatMul', [x.name, cw.w.name]), shape, x.grad);
    if (out.grad) this.record(out, [x], (g) => [this.plainContribution(this.gemm(this.materialise(g, shape), cw.w, false, true, [T, F]), [T, F])]);
    return out;
  }

  /**
   * The K-frame windows of x [T, F] side by side: row t is x[t], x[t + 1], …, x[t + K − 1],
   * → [T − K + 1, K·F], what a linear conv1d multiplies by its filters (onnx/linear-conv.ts).
   * Its gradient adds each window's parts back onto the frames they came from.
   */
  windows(x: Val, k: number): Val {
    const [T, F] = x.shape;
    const r = T - k + 1;
    const shape = [r, k * F];
    const slices = Array.from({ length: k }, (_, j) => this.g.op('Slice', [x.name, this.g.ints([j]), this.g.ints([j + r]), this.g.ints([0])]));
    const out = this.val(k === 1 ? slices[0] : this.g.op('Concat', slices, { axis: 1 }), shape, x.grad);
    if (out.grad) {
      this.record(out, [x], (g) => {
        const gv = this.materialise(g, shape);
        let acc: Val | null = null;
        for (let j = 0; j < k; j++) {
          const part = this.plain('Slice', [gv, this.g.ints([j * F]), this.g.ints([(j + 1) * F]), this.g.ints([1])], undefined, [r, F]);
          const placed = this.plain('Pad', [part, this.g.ints([j, 0, k - 1 - j, 0])], undefined, [T, F]);
          acc = acc ? this.plain('Add', [acc, placed], undefined, [T, F]) : placed;
        }
        return [this.plainContribution(acc!, [T, F])];
      });
    }
    return out;
  }

  conv2d(x: Val, w: Val, padding: Padding): Val {
    const [C, T, F] = x.shape;
    const [O, , kT, kF] = w.shape;
    const pads = padding === 'same' ? [Math.floor((kT - 1) / 2), Math.floor((kF - 1) / 2), Math.ceil((kT - 1) / 2), Math.ceil((kF - 1) / 2)] : [0, 0, 0, 0];
    const To = T + pads[0] + pads[2] - kT + 1;
    const Fo = F + pads[1] + pads[3] - kF + 1;
    const attrs = { kernel_shape: [kT, kF], pads };
    const x4 = this.plain('Reshape', [x, this.g.ints([1, C, T, F])], undefined, [1, C, T, F]);
    const wv = this.plainParam(w);
    const y4 = this.plain('Conv', [x4, wv], attrs, [1, O, To, Fo]);
    const out = this.val(this.g.op('Reshape', [y4.name, this.g.ints([O, To, Fo])]), [O, To, Fo], x.grad);
    if (out.grad) {
      this.record(out, [x], (g) => {
        const g4 = this.plain('Reshape', [this.materialise(g, out.shape), this.g.ints([1, O, To, Fo])], undefined, [1, O, To, Fo]);
        // A stride-1 convolution's input gradient is the output gradient correlated with the
        // kernel turned 180° and its channels swapped, padded to the full width: written as a
        // Conv, onnxruntime runs it on its blocked fast path (ConvTranspose goes through a
        // GEMM and col2im, about as slow again as the forward pass).
        const turned = this.plain('Slice', [wv, this.g.ints([-1, -1]), this.g.ints([-(kT + 1), -(kF + 1)]), this.g.ints([2, 3]), this.g.ints([-1, -1])], undefined, [O, C, kT, kF]);
        const wBack = this.plain('Transpose', [turned], { perm: [1, 0, 2, 3] }, [C, O, kT, kF]);
        const backPads = [kT - 1 - pads[0], kF - 1 - pads[1], kT - 1 - pads[2], kF - 1 - pads[3]];
        const dx4 = this.plain('Conv', [g4, wBack], { kernel_shape: [kT, kF], pads: backPads }, [1, C, T, F]);
        return [this.plainContribution(this.plain('Reshape', [dx4, this.g.ints([C, T, F])], undefined, [C, T, F]), [C, T, F])];
      });
    }
    return out;
  }

  pool(x: Val, mode: PoolMode, pt: number, pf: number): Val {
    const [C, T, F] = x.shape;
    const To = Math.floor(T / pt);
    const Fo = Math.floor(F / pf);
    const shape = [C, To, Fo];
    const attrs = { kernel_shape: [pt, pf], strides: [pt, pf] };
    const x4 = this.plain('Reshape', [x, this.g.ints([1, C, T, F])], undefined, [1, C, T, F]);
    const back4 = (g: Grad) => this.plain('Reshape', [this.materialise(g, shape), this.g.ints([1, C, To, Fo])], undefined, [1, C, To, Fo]);
    const toInput = (dx4: Val) => this.plainContribution(this.plain('Reshape', [dx4, this.g.ints([C, T, F])], undefined, [C, T, F]), [C, T, F]);
    if (mode === 'max') {
      // MaxPool's second output says where each maximum came from; MaxUnpool routes the gradient back there.
      const [y4, indices] = this.g.opOutputs('MaxPool', [x4.name], 2, attrs);
      const out = this.val(this.g.op('Reshape', [y4, this.g.ints(shape)]), shape, x.grad);
      if (out.grad) this.record(out, [x], (g) => [toInput(this.plain('MaxUnpool', [back4(g), indices, this.g.ints([1, C, T, F])], attrs, [1, C, T, F]))]);
      return out;
    }
    const y4 = this.plain('AveragePool', [x4], attrs, [1, C, To, Fo]);
    const out = this.val(this.g.op('Reshape', [y4.name, this.g.ints(shape)]), shape, x.grad);
    if (out.grad) {
      this.record(out, [x], (g) => {
        // Each output's gradient is spread evenly over its pt × pf inputs; a dropped edge gets none.
        const g6 = this.plain('Reshape', [this.mulBy(back4(g), 1 / (pt * pf)), this.g.ints([1, C, To, 1, Fo, 1])], undefined, [1, C, To, 1, Fo, 1]);
        const spread = this.plain('Expand', [g6, this.g.ints([1, C, To, pt, Fo, pf])], undefined, [1, C, To, pt, Fo, pf]);
        const flat = this.plain('Reshape', [spread, this.g.ints([1, C, To * pt, Fo * pf])], undefined, [1, C, To * pt, Fo * pf]);
        const full = To * pt === T && Fo * pf === F ? flat : this.plain('Pad', [flat, this.g.ints([0, 0, 0, 0, 0, 0, T - To * pt, F - Fo * pf])], undefined, [1, C, T, F]);
        return [toInput(full)];
      });
    }
    return out;
  }

  // ---- loss terms ------------------------------------------------------------------------

  squaredDistance(a: Val, target: Val, accumulate: 'float' | 'double'): Val {
    if (!sameShape(a.shape, target.shape)) throw new Error(`squaredDistance of [${a.shape}] and [${target.shape}]`);
    const d = this.val(this.g.op('Sub', [a.name, target.name]), a.shape, false, a.sym && target.sym);
    const sum =
      accumulate === 'float'
        ? this.plain('Cast', [this.plain('ReduceSumSquare', [d], { keepdims: 0 }, [])], { to: DataType.DOUBLE }, [])
        : this.plain('ReduceSumSquare', [this.plain('Cast', [d], { to: DataType.DOUBLE }, d.shape)], { keepdims: 0 }, []);
    const out = this.val(sum.name, [], a.grad);
    if (out.grad) {
      this.record(out, [a], (g) => {
        // ∂‖d‖²/∂a = 2d, left for the consumer to scale.
        if (g.kind === 'lazy' && g.v === null) return [this.passOn({ ...g, v: d, k: g.k * 2 }, a.shape)];
        return [this.plainContribution(this.plain('Mul', [d, this.mulBy(this.materialise(g, []), 2)], undefined, a.shape), a.shape)];
      });
    }
    return out;
  }

  /**
   * A scalar computed by hand-written nodes whose gradient is folded in by `fold(coef, prev)`
   * (coef = the term's (w · k)/(n + ε) with k = `k`): for fused forms such as the Gram's
   * "frames" form, which never builds the Gram matrix.
   */
  customScalar(name: string, input: Val, k: number, fold: (coef: number, prev: Val | null) => Val): Val {
    const out = this.val(name, [], input.grad);
    if (out.grad) {
      this.record(out, [input], (g) => {
        if (g.kind !== 'lazy' || g.v !== null) throw new Error('a custom scalar is differentiated only from a loss seed');
        const coef = coefOf(g.seed, g.k * k);
        return [{ fold: (prev) => fold(coef, prev) }];
      });
    }
    return out;
  }

  // ---- reverse pass ----------------------------------------------------------------------

  /**
   * The gradient with respect to `wrt` of Σ weight · term / (norm + ε) over `seeds` (scalar
   * values made by `squaredDistance` or `customScalar`), or null when none depends on it.
   */
  backward(seeds: { value: Val; seed: Seed }[], wrt: Val): Val | null {
    const pending = new Map<string, { order: number; c: Contribution }[]>();
    const add = (v: Val, order: number, c: Contribution) => {
      const list = pending.get(v.name) ?? [];
      list.push({ order, c });
      pending.set(v.name, list);
    };
    const unused = () => {
      throw new Error('a seed is consumed by its own term');
    };
    for (const { value, seed } of seeds) add(value, -1, { lazy: { kind: 'lazy', v: null, k: 1, seed }, fold: unused });
    const finalise = (name: string): Grad | null => {
      const list = pending.get(name);
      if (!list?.length) return null;
      if (list.length === 1 && list[0].c.lazy) return list[0].c.lazy;
      list.sort((x, y) => x.order - y.order);
      let acc: Val | null = null;
      for (const { c } of list) acc = c.fold(acc);
      return { kind: 'val', v: acc! };
    };
    for (let i = this.tape.length - 1; i >= 0; i--) {
      const entry = this.tape[i];
      const g = finalise(entry.out.name);
      if (!g) continue;
      entry.vjp(g).forEach((c, j) => {
        if (c && entry.inputs[j].grad) add(entry.inputs[j], entry.index, c);
      });
    }
    const g = finalise(wrt.name);
    return g ? this.materialise(g, wrt.shape) : null;
  }
}
