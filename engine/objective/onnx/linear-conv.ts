/**
 * A network that is one conv1d with no activation (alishdipani's) is linear: its features
 * are A = X̃·Wr, with X̃ [r, K·F] the input's K-frame windows (Tracer.windows) and Wr
 * [K·F, N] the filters. Every term that reads those features through their second moments
 * then reads the input through M = Wr·Wrᵀ [K·F, K·F], computed once, and Y = X̃·M:
 * - content: ‖A − Ac‖² = ⟨Y − Yc, X̃ − X̃c⟩, gradient 2·(Y − Yc);
 * - style, in the Gram's "frames" form (onnx/style-gram.ts): A·Aᵀ = Y·X̃ᵀ = P and
 *   A·Asᵀ = Y·X̃sᵀ = Q, gradient (P·Y/r − Q·Ys/rs)·4/r.
 * Exact, and cheaper whenever K·F < N: one evaluation costs r·(K·F)² + 2·r·(r + rs)·K·F
 * multiply–adds instead of the conv's 2·r·K·F·N (forward and back) plus the Gram's
 * 2·r·(r + rs)·N; for 10 s at K = 3, F = 1025, N = 4096, 5.9 G against 13.2 G.
 */
import { paramId } from '../network';
import type { ObjectivePlan } from '../plan';
import { DataType } from './proto';
import { gramMode, sumSquaresDouble } from './style-gram';
import { Tracer, type Val } from './tracer';

/** The linear network's shapes: its filters' param, K, F, N, and the positions of the take and the style. */
export interface LinearConv {
  param: string;
  kernel: number;
  bins: number;
  filters: number;
  rows: number;
  styleRows: number;
}

/**
 * The linear form for `plan`, or null when it does not apply: the network is not one conv1d
 * followed only by identity activations, M would be larger than the filters (K·F ≥ N), a
 * term other than content and style reads the features, or the style's Gram would not take
 * its "frames" form (many positions: M's "filters" form would cost (K·F)³).
 */
export function linearConv(plan: ObjectivePlan): LinearConv | null {
  const [first, ...rest] = plan.network.layers;
  if (first?.kind !== 'conv1d' || !rest.every((l) => l.kind === 'activation' && l.fn === 'none')) return null;
  const spec = plan.params.find((p) => p.id === paramId(1));
  if (!spec) return null;
  const [kernel, bins, filters] = spec.shape;
  if (kernel * bins >= filters) return null;
  const deep = plan.terms.filter((t) => t.reads.some((r) => r.layer >= 1));
  if (!deep.length || deep.some((t) => t.name !== 'content' && t.name !== 'style')) return null;
  const rows = plan.context.frames - kernel + 1;
  const styleLayout = plan.layouts.style[1];
  const styleRows = styleLayout?.kind === 'seq' ? styleLayout.frames : 0;
  if (deep.some((t) => t.name === 'style') && (!styleRows || gramMode(rows, styleRows, filters) !== 'frames')) return null;
  return { param: spec.id, kernel, bins, filters, rows, styleRows };
}

/** ⟨a, b⟩ of two same-shape values, products in float32 summed in float64: a double scalar. */
const dotDouble = (t: Tracer, a: string, b: string) => t.g.op('ReduceSum', [t.g.op('Cast', [t.g.op('Mul', [a, b])], { to: DataType.DOUBLE })], { keepdims: 0 });

/** The graph that turns the filters W [K, F, N] into M = Wr·Wrᵀ [K·F, K·F] (output `m`). */
export function filterProductGraph(l: LinearConv): Uint8Array {
  const t = new Tracer('linear-m');
  const kf = l.kernel * l.bins;
  const w = t.input('w', [l.kernel, l.bins, l.filters]);
  const wr = t.g.op('Reshape', [w.name, t.g.ints([kf, l.filters])]);
  t.g.output(t.g.op('Gemm', [wr, wr], { transB: 1 }), 'm', [kf, kf], DataType.FLOAT);
  return t.g.encode();
}

/**
 * The target graph for one input x [frames, F] (inputs `x`, `m`): its windows `xt`, `y` =
 * X̃·M, `dot` = ⟨Y, X̃⟩ = ‖A‖² and, with `gram`, `pss` = ‖Y·X̃ᵀ‖² = ‖A·Aᵀ‖² (both float64).
 */
export function linearTargetsGraph(l: LinearConv, frames: number, gram: boolean): Uint8Array {
  const t = new Tracer('linear-targets');
  const kf = l.kernel * l.bins;
  const rows = frames - l.kernel + 1;
  const xt = t.windows(t.input('x', [frames, l.bins]), l.kernel);
  const y = t.g.op('MatMul', [xt.name, t.input('m', [kf, kf]).name]);
  t.output(xt, 'xt');
  t.g.output(y, 'y', [rows, kf], DataType.FLOAT);
  t.g.output(dotDouble(t, y, xt.name), 'dot', [], DataType.DOUBLE);
  if (gram) t.g.output(sumSquaresDouble(t, { ...xt, name: t.g.op('Gemm', [y, xt.name], { transB: 1 }) }), 'pss', [], DataType.DOUBLE);
  return t.g.encode();
}

const plainVal = (name: string, shape: readonly number[]): Val => ({ name, shape: [...shape], grad: false, sym: false });

/**
 * The content term in the evaluate graph: outputs `prefix` = ⟨Y − Yc, X̃ − X̃c⟩ = ‖A − Ac‖²
 * (float64) and returns the scalar to seed, whose gradient 2·(Y − Yc) is added to X̃'s.
 */
export function linearContentTerm(t: Tracer, xt: Val, y: Val, yc: Val, xtc: Val, prefix: string): Val {
  const dy = t.g.op('Sub', [y.name, yc.name]);
  const dx = t.g.op('Sub', [xt.name, xtc.name]);
  const sum = dotDouble(t, dy, dx);
  t.g.output(sum, prefix, [], DataType.DOUBLE);
  return t.customScalar(sum, xt, 2, (coef, prev) => {
    const g = plainVal(t.g.op('Mul', [dy, t.g.floats(coef)]), xt.shape);
    return prev ? plainVal(t.g.op('Add', [prev.name, g.name]), xt.shape) : g;
  });
}

/**
 * The style term's "frames" form in the evaluate graph: outputs `${prefix}.sp` = ‖Y·X̃ᵀ‖²
 * and `${prefix}.sq` = ‖Y·X̃sᵀ‖² (float64; framesDistance turns them into ‖G − Gs‖²) and
 * returns the scalar to seed, whose gradient (P·Y/r − Q·Ys/rs)·4/r is added to X̃'s.
 */
export function linearGramTerm(t: Tracer, xt: Val, y: Val, xts: Val, ys: Val, prefix: string): Val {
  const [r] = xt.shape;
  const [rs] = xts.shape;
  const p = plainVal(t.g.op('Gemm', [y.name, xt.name], { transB: 1 }), [r, r]);
  const q = plainVal(t.g.op('Gemm', [y.name, xts.name], { transB: 1 }), [r, rs]);
  const sp = sumSquaresDouble(t, p);
  t.g.output(sp, `${prefix}.sp`, [], DataType.DOUBLE);
  t.g.output(sumSquaresDouble(t, q), `${prefix}.sq`, [], DataType.DOUBLE);
  return t.customScalar(sp, xt, 4 / r, (coef, prev) => {
    const acc = t.gemm(p, y, false, false, xt.shape, coef / r, prev);
    return t.gemm(q, ys, false, false, xt.shape, -coef / rs, acc);
  });
}
