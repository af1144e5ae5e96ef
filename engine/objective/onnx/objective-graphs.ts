/**
 * The objective's ONNX graphs: features A(X), the style statistics, and one evaluation
 * (all four normalised terms and the analytic ∂L/∂X) — DESIGN.md §2 Losses.
 *
 * Layouts follow objective.ts: X is T × F row-major, W is K × F × N, A is T' × N. For
 * K > 1 the conv and its input gradient run block by block in the frequency domain on
 * precomputed spectral weights (spectral-conv.ts: about a third of the direct form's
 * multiply–adds, no im2col or col2im, and a fixed summation order so results are
 * bit-identical run to run); for K = 1 the conv is one MatMul with W as F × N.
 *
 * The Gram terms have two exact forms and the builder takes the cheaper:
 * - "frames" (T' + Ts' < N, e.g. 10 s at 4096 filters): with P = A·Aᵀ (T'×T') and
 *   Q = A·Asᵀ (T'×Ts'),  ‖G‖² = ‖P‖²/T'²,  ⟨G, Gs⟩ = ‖Q‖²/(T'·Ts'), and
 *   A·(G − Gs) = P·A/T' − Q·As/Ts'. Nothing N × N is ever formed.
 * - "filters" (otherwise): G = AᵀA/T' (N×N) and D = G − Gs directly.
 */
import type { Activation } from '../../../common/preset';
import { GraphBuilder } from './graph';
import { DataType } from './proto';
import { spectralConv, spectralConvGrad, spectralPlan, type SpectralPlan } from './spectral-conv';

/** SELU constants as in ONNX's Selu defaults (and tf.selu). */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_GAMMA = 1.0507009873554805;

export type GramMode = 'frames' | 'filters';

/**
 * The cheaper Gram form for these sizes, by multiply–add count of the style part of one
 * evaluation (forward and gradient).
 */
export function gramMode(framesOut: number, styleFramesOut: number, filters: number): GramMode {
  const frames = 2 * framesOut * framesOut * filters + 2 * framesOut * styleFramesOut * filters;
  const byFilters = 2 * filters * filters * framesOut;
  return frames < byFilters ? 'frames' : 'filters';
}

/** Shapes shared by the graphs. */
export interface ConvShape {
  bins: number;
  filters: number;
  kernel: number;
  activation: Activation;
}

/**
 * The conv weight inputs every graph declares: `w` [F, N] when K = 1 (the conv is one
 * MatMul), else the spectral weights `w0` [2, F, N] and `wc` [2J, F, N] (spectral-conv.ts).
 */
export interface ConvInputs {
  plan: SpectralPlan | null;
  w?: string;
  w0?: string;
  wc?: string;
}

/** The block plan for a kernel width, or null when the conv is a plain MatMul (K = 1). */
export const convPlan = (kernel: number): SpectralPlan | null => (kernel > 1 ? spectralPlan(kernel) : null);

function convInputs(g: GraphBuilder, s: ConvShape): ConvInputs {
  const plan = convPlan(s.kernel);
  if (!plan) return { plan, w: g.input('w', [s.bins, s.filters]) };
  return { plan, w0: g.input('w0', [2, s.bins, s.filters]), wc: g.input('wc', [2 * plan.half, s.bins, s.filters]) };
}

/** Adds z = conv(x) and a = act(z), both [frames − K + 1, N]. */
function features(g: GraphBuilder, x: string, w: ConvInputs, s: ConvShape, frames: number): { z: string; a: string } {
  const z = w.plan ? spectralConv(g, x, w.w0!, w.wc!, w.plan, frames, s.bins, s.filters) : g.op('MatMul', [x, w.w!]);
  const a =
    s.activation === 'relu'
      ? g.op('Relu', [z])
      : s.activation === 'tanh'
        ? g.op('Tanh', [z])
        : g.op('Selu', [z], { alpha: { float: SELU_ALPHA }, gamma: { float: SELU_GAMMA } });
  return { z, a };
}

/** The conv's input gradient, [frames, F], from dz [frames − K + 1, N]. */
function convGrad(g: GraphBuilder, dz: string, w: ConvInputs, s: ConvShape, frames: number): string {
  return w.plan ? spectralConvGrad(g, dz, w.w0!, w.wc!, w.plan, frames, s.bins, s.filters) : g.op('Gemm', [dz, w.w!], { transB: 1 });
}

/**
 * A(X) for T = `frames` ≥ K.
 * Inputs: x [T, F] and the conv weights (`convInputs`). Output: a [T', N].
 */
export function buildFeaturesGraph(s: ConvShape, frames: number): Uint8Array {
  const g = new GraphBuilder('features');
  const x = g.input('x', [frames, s.bins]);
  const w = convInputs(g, s);
  g.output(features(g, x, w, s, frames).a, 'a', [frames - s.kernel + 1, s.filters]);
  return g.encode();
}

/**
 * The style's fixed statistics, computed once per render.
 * Inputs: x [Ts, F] and the conv weights. Outputs: a [Ts', N] (As); "frames" mode adds
 * pss = ‖As·Asᵀ‖² (float64 scalar); "filters" mode adds gs [N, N] = AsᵀAs/Ts' and
 * gss = ‖Gs‖² (float64 scalar).
 */
export function buildStyleGraph(s: ConvShape, styleFrames: number, mode: GramMode): Uint8Array {
  const g = new GraphBuilder('style');
  const tp = styleFrames - s.kernel + 1;
  const x = g.input('x', [styleFrames, s.bins]);
  const w = convInputs(g, s);
  const { a } = features(g, x, w, s, styleFrames);
  g.output(a, 'a', [tp, s.filters]);
  if (mode === 'frames') {
    const p = g.op('Gemm', [a, a], { transB: 1 });
    g.output(g.op('ReduceSumSquare', [g.op('Cast', [p], { to: DataType.DOUBLE })], { keepdims: 0 }), 'pss', [], DataType.DOUBLE);
  } else {
    const gs = g.op('Gemm', [a, a], { transA: 1, alpha: { float: 1 / tp } });
    g.output(gs, 'gs', [s.filters, s.filters]);
    g.output(g.op('Cast', [g.op('ReduceSumSquare', [gs], { keepdims: 0 })], { to: DataType.DOUBLE }), 'gss', [], DataType.DOUBLE);
  }
  return g.encode();
}

/** Everything one evaluation graph bakes in: shapes, mode and the gradient coefficients. */
export interface EvaluateGraphSpec extends ConvShape {
  frames: number;
  styleFrames: number;
  mode: GramMode;
  /** Gradient scales, already multiplied by the loss weights; 0 leaves that term's gradient out. */
  coef: {
    /** α · 2 / ‖Ac‖² */
    content: number;
    /** β · 4 / (T' · ‖Gs‖²) */
    style: number;
    /** γ · 2 / (F · ‖es‖²) */
    energy: number;
    /** δ · 2 / (T · ‖τs‖²) */
    timbre: number;
  };
  /** es stretched to T frames, and τs (F). */
  energyTarget: Float32Array;
  timbreTarget: Float32Array;
}

/**
 * One evaluation. Inputs: x [T, F], the conv weights, ac [T', N], and as [Ts', N] ("frames") or
 * gs [N, N] ("filters"). Outputs (float64 scalars, un-normalised sums the caller turns
 * into terms): sc = ‖A − Ac‖², "frames": sp = ‖A·Aᵀ‖², sq = ‖A·Asᵀ‖², "filters":
 * sd = ‖G − Gs‖²; se = ‖e − es‖², st = ‖τ − τs‖²; and grad [T, F] = ∂L/∂X.
 *
 * The forward pass and every sum are always computed, so all four terms are reported
 * whatever the weights; a term whose weight is 0 adds nothing to the gradient and its
 * backward branch is left out of the graph (with content and style both 0 the backward
 * conv, half the cost, disappears).
 */
export function buildEvaluateGraph(s: EvaluateGraphSpec): Uint8Array {
  const g = new GraphBuilder('evaluate');
  const { bins: F, filters: N, kernel: K, frames: T, styleFrames: Ts } = s;
  const tp = T - K + 1;
  const tsp = Ts - K + 1;
  const x = g.input('x', [T, F]);
  const w = convInputs(g, s);
  const ac = g.input('ac', [tp, N]);
  const styleIn = s.mode === 'frames' ? g.input('as', [tsp, N]) : g.input('gs', [N, N]);
  const toDouble = (v: string) => g.op('Cast', [v], { to: DataType.DOUBLE });
  const sumSq = (v: string) => g.op('ReduceSumSquare', [v], { keepdims: 0 });
  const out = (v: string, name: string) => g.output(v, name, [], DataType.DOUBLE);

  const { z, a } = features(g, x, w, s, T);

  // Content.
  const dc = g.op('Sub', [a, ac]);
  out(toDouble(sumSq(dc)), 'sc');
  let dA: string | null = s.coef.content ? g.op('Mul', [dc, g.floats(s.coef.content)]) : null;

  // Style: dA += c · A(G − Gs).
  const gemmAcc = (l: string, r: string, alpha: number, attrs: Record<string, number> = {}) =>
    (dA = g.op('Gemm', dA ? [l, r, dA] : [l, r], { ...attrs, alpha: { float: alpha }, ...(dA ? { beta: { float: 1 } } : {}) }));
  if (s.mode === 'frames') {
    const p = g.op('Gemm', [a, a], { transB: 1 });
    const q = g.op('Gemm', [a, styleIn], { transB: 1 });
    out(sumSq(toDouble(p)), 'sp');
    out(sumSq(toDouble(q)), 'sq');
    if (s.coef.style) {
      gemmAcc(p, a, s.coef.style / tp);
      gemmAcc(q, styleIn, -s.coef.style / tsp);
    }
  } else {
    const gram = g.op('Gemm', [a, a], { transA: 1, alpha: { float: 1 / tp } });
    const d = g.op('Sub', [gram, styleIn]);
    out(toDouble(sumSq(d)), 'sd');
    if (s.coef.style) gemmAcc(a, d, s.coef.style);
  }

  // Back through the activation and the conv.
  let grad: string | null = null;
  if (dA) {
    const zero = g.floats(0);
    let dZ: string;
    if (s.activation === 'relu') {
      // relu'(z) = sign(relu(z)); an elementwise Mul is far cheaper than a broadcasting Where.
      dZ = g.op('Mul', [dA, g.op('Sign', [a])]);
    } else if (s.activation === 'tanh') {
      dZ = g.op('Mul', [dA, g.op('Sub', [g.floats(1), g.op('Mul', [a, a])])]);
    } else {
      // selu'(z) = γ for z > 0, else γ·α·e^z = a + γ·α.
      const neg = g.op('Add', [a, g.floats(SELU_GAMMA * SELU_ALPHA)]);
      dZ = g.op('Mul', [dA, g.op('Where', [g.op('Greater', [z, zero]), g.floats(SELU_GAMMA), neg])]);
    }
    grad = convGrad(g, dZ, w, s, T);
  }

  // Energy: e[t] = mean_f X[t, f] against es; its gradient is constant along f.
  const de = g.op('Sub', [g.op('ReduceMean', [x], { axes: [1], keepdims: 1 }), g.floats(s.energyTarget, [T, 1])]);
  out(sumSq(toDouble(de)), 'se');
  if (s.coef.energy) {
    const ge = g.op('Mul', [de, g.floats(s.coef.energy)]);
    grad = grad ? g.op('Add', [grad, ge]) : g.op('Expand', [ge, g.ints([T, F])]);
  }

  // Timbre: τ[f] = mean_t X[t, f] against τs; its gradient is constant along t.
  const dt = g.op('Sub', [g.op('ReduceMean', [x], { axes: [0], keepdims: 1 }), g.floats(s.timbreTarget, [1, F])]);
  out(sumSq(toDouble(dt)), 'st');
  if (s.coef.timbre) {
    const gt = g.op('Mul', [dt, g.floats(s.coef.timbre)]);
    grad = grad ? g.op('Add', [grad, gt]) : g.op('Expand', [gt, g.ints([T, F])]);
  }

  g.output(grad ?? g.op('Mul', [x, g.floats(0)]), 'grad', [T, F]);
  return g.encode();
}
