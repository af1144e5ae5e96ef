/**
 * The style term's Gram distance in the onnx graphs, in two exact forms; the cheaper is
 * taken for the shapes (by multiply–adds of one evaluation's style part, forward and
 * gradient). With A [r, C] the take's positions × channels and As [rs, C] the style's:
 * - "filters": G = AᵀA / r (C × C), the distance ‖G − Gs‖² and its gradient come from the
 *   shared ops (statistics/style.ts); only the target's normaliser ‖Gs‖² is summed here, in
 *   the graph, as version 1 did.
 * - "frames" (r + rs < C, e.g. 10 s at 4096 filters): with P = A·Aᵀ (r × r) and
 *   Q = A·Asᵀ (r × rs), ‖G‖² = ‖P‖²/r², ⟨G, Gs⟩ = ‖Q‖²/(r·rs), and the gradient
 *   A·(G − Gs)·4/r = (P·A/r − Q·As/rs)·4/r. Nothing C × C is ever formed.
 */
import { DataType } from './proto';
import type { Tracer, Val } from './tracer';

export type GramMode = 'frames' | 'filters';

/** The cheaper exact form for r take positions, rs style positions and C channels. */
export function gramMode(rows: number, styleRows: number, channels: number): GramMode {
  const frames = 2 * rows * rows * channels + 2 * rows * styleRows * channels;
  const byFilters = 2 * channels * channels * rows;
  return frames < byFilters ? 'frames' : 'filters';
}

/** Σ of squares of v in float64 (cast first), as a double scalar. */
export const sumSquaresDouble = (t: Tracer, v: Val) => t.g.op('ReduceSumSquare', [t.g.op('Cast', [v.name], { to: DataType.DOUBLE })], { keepdims: 0 });

/**
 * Target-graph outputs for one read of the style: "filters" → the Gram `gs` [C, C] and
 * `norm` = Cast(ΣGs²); "frames" → `as` = As itself and `pss` = Σ(As·Asᵀ)² (norm = pss / rs²).
 */
export function gramTargetOutputs(t: Tracer, a: Val, mode: GramMode, prefix: string): void {
  if (mode === 'filters') {
    const gs = t.gram(a);
    t.output(gs, `${prefix}.gs`);
    t.g.output(t.g.op('Cast', [t.g.op('ReduceSumSquare', [gs.name], { keepdims: 0 })], { to: DataType.DOUBLE }), `${prefix}.norm`, [], DataType.DOUBLE);
    return;
  }
  t.output(a, `${prefix}.as`);
  const p = t.g.op('Gemm', [a.name, a.name], { transB: 1 });
  t.g.output(sumSquaresDouble(t, { ...a, name: p }), `${prefix}.pss`, [], DataType.DOUBLE);
}

/**
 * The "frames" form in the evaluate graph: outputs `${prefix}.sp` = ‖P‖² and `${prefix}.sq`
 * = ‖Q‖² (float64) and returns the scalar to seed, whose gradient is the fused pair of
 * Gemms above added to A's running gradient.
 */
export function gramFramesTerm(t: Tracer, a: Val, as: Val, prefix: string): Val {
  const [r] = a.shape;
  const [rs] = as.shape;
  const p = t.g.op('Gemm', [a.name, a.name], { transB: 1 });
  const q = t.g.op('Gemm', [a.name, as.name], { transB: 1 });
  const sp = sumSquaresDouble(t, { ...a, name: p });
  t.g.output(sp, `${prefix}.sp`, [], DataType.DOUBLE);
  t.g.output(sumSquaresDouble(t, { ...a, name: q }), `${prefix}.sq`, [], DataType.DOUBLE);
  const pv: Val = { name: p, shape: [r, r], grad: false, sym: true };
  const qv: Val = { name: q, shape: [r, rs], grad: false, sym: false };
  return t.customScalar(sp, a, 4 / r, (coef, prev) => {
    const acc = t.gemm(pv, a, false, false, a.shape, coef / r, prev);
    return t.gemm(qv, as, false, false, a.shape, -coef / rs, acc);
  });
}

/** The style distance ‖G − Gs‖² from the frames form's sums and the target normaliser ‖Gs‖². */
export const framesDistance = (sp: number, sq: number, rows: number, styleRows: number, norm: number): number => sp / (rows * rows) - (2 * sq) / (rows * styleRows) + norm;
