/**
 * The objective's conv along time and its input gradient, computed block by block in the
 * frequency domain (overlap-save with a short real DFT done as small matrix products).
 *
 * Why: the direct conv costs K · F · N multiply–adds per output frame and already runs near
 * the CPU's peak, so the only way to go faster is fewer operations. A block of L input
 * frames gives m = L − K + 1 output frames from L/2 + 1 frequency bins, each bin one
 * F × N (complex) matrix product, which is about (2L − 2) / m real F × N products per frame
 * instead of K: for K = 11, L = 22 that is 3.5 instead of 11. The transform is a unitary-
 * like DFT (no large interpolation constants as in Winograd's form), so float32 rounding
 * stays at the level of the direct sum. Every op is a fixed-order MatMul, Gather, Pad or
 * Add, so results are bit-identical from run to run whatever the thread count.
 *
 * Layouts (objective.ts): X is T × F, W is K × F × N, Z = conv(X) is T' × N with
 * Z[t, n] = Σ_k Σ_f X[t + k, f] · W[k, f, n], T' = T − K + 1.
 *
 * The spectral weights are L slices of F × N, in this order (θ = 2π ω k / L):
 *   0: V₀ = Σ_k W[k],  1: V_{L/2} = Σ_k (−1)^k W[k],
 *   2 … J+1: Vr_ω = Σ_k cos θ · W[k],  J+2 … 2J+1: Vi_ω = Σ_k sin θ · W[k],   ω = 1 … J = L/2 − 1.
 * The graphs take the first two as input `w0` [2, F, N] and the rest as `wc` [2J, F, N]
 * (two views of one buffer).
 */
import { GraphBuilder } from './graph';
import { MS_DOMAIN } from './proto';

/** One block size for a kernel width. */
export interface SpectralPlan {
  /** K, frames of the kernel. */
  kernel: number;
  /** L, frames per block (even, ≥ K + 1). */
  size: number;
  /** m = L − K + 1, output frames per block. */
  hop: number;
  /** J = L/2 − 1, complex bins per block. */
  half: number;
}

/**
 * The block plan for kernel width K: L = 2K (m = K + 1 outputs per block), at least 8.
 * Larger L saves more multiply–adds per frame but the spectral weights take L/K times the
 * memory of W (2× here; W1 must stay under PyTorch's peak memory), and the per-bin
 * products get too few rows to run at full speed: measured at K = 11, L = 22, 26 and 32
 * ran alike (W2: 11 ms per conv against 29 direct; W1: 105 against 210), L = 16 clearly
 * slower; at K = 3 (W1's F and N) L = 8 and 12 matched the direct conv, L = 6 was a little slower.
 */
export function spectralPlan(kernel: number, size = Math.max(8, 2 * kernel)): SpectralPlan {
  const L = size + (size % 2);
  if (L < kernel + 1) throw new RangeError(`block size ${L} is too small for kernel ${kernel}`);
  return { kernel, size: L, hop: L - kernel + 1, half: L / 2 - 1 };
}

/** Float32 count of the spectral weights: L · F · N. */
export const spectralWeightLength = (p: SpectralPlan, bins: number, filters: number): number => p.size * bins * filters;

/**
 * cos/sin of bin ω at frame k of a block, as the rows of the slices above: row r of the
 * returned L × L' matrix gives slice r's coefficients over the block's frames.
 */
export function sliceRows(p: SpectralPlan, frames: number): Float64Array {
  const { size: L, half: J } = p;
  const rows = new Float64Array(L * frames);
  for (let k = 0; k < frames; k++) {
    rows[k] = 1;
    rows[frames + k] = k % 2 ? -1 : 1;
    for (let w = 1; w <= J; w++) {
      const th = (2 * Math.PI * w * k) / L;
      rows[(1 + w) * frames + k] = Math.cos(th);
      rows[(1 + J + w) * frames + k] = Math.sin(th);
    }
  }
  return rows;
}

/** Columns of W transformed per run of the weights graph (≈ 6 MB of output at L = 22). */
export const SPECTRAL_CHUNK = 65536;

/**
 * The graph that turns a chunk of W's columns into spectral weights: input w [K, c]
 * (c columns of the K × (F·N) matrix W), output s [L, c], row r = slice r above.
 * Run once per render, chunk by chunk (see `onnx-objective.ts`), so no second full copy of
 * W ever exists; float32 products of K terms, like the conv itself.
 */
export function buildSpectralWeightsGraph(p: SpectralPlan): Uint8Array {
  const g = new GraphBuilder('spectral-weights');
  const w = g.input('w', [p.kernel, 'c']);
  g.output(g.op('MatMul', [g.floats(Float32Array.from(sliceRows(p, p.kernel)), [p.size, p.kernel]), w]), 's', [p.size, 'c']);
  return g.encode();
}

/**
 * The forward transform for one block of L frames, as two matrices applied on the left:
 * `real` [2, L] gives the DC and Nyquist rows; `pairs` [4J, L] gives, for each complex
 * slice r of wc, the two rows that multiply it, interleaved (row 2r: the same-kind part,
 * row 2r + 1: the other kind), so [4J, B·C] reads as [2J, 2B, C] for one batched MatMul.
 * wc slice r < J is Vr_ω and pairs with (cos, sin) rows; r ≥ J is Vi_ω and pairs with (sin, cos).
 */
function analysisMatrices(p: SpectralPlan): { real: Float32Array; pairs: Float32Array } {
  const { size: L, half: J } = p;
  const rows = sliceRows(p, L);
  const real = Float32Array.from(rows.subarray(0, 2 * L));
  const pairs = new Float32Array(4 * J * L);
  const cosRow = (w: number) => rows.subarray((1 + w) * L, (2 + w) * L);
  const sinRow = (w: number) => rows.subarray((1 + J + w) * L, (2 + J + w) * L);
  for (let w = 1; w <= J; w++) {
    const rVr = w - 1;
    const rVi = J + w - 1;
    pairs.set(cosRow(w), 2 * rVr * L);
    pairs.set(sinRow(w), (2 * rVr + 1) * L);
    pairs.set(sinRow(w), 2 * rVi * L);
    pairs.set(cosRow(w), (2 * rVi + 1) * L);
  }
  return { real, pairs };
}

/**
 * The inverse transform giving output frame j of a block from the products, as [m, 2] for
 * the real bins and [m, 4J] for the pair products (columns in the order `analysisMatrices`
 * makes). Products, with S/G the transformed block and cos/sin parts Sc, Ss:
 *   (Vr, same) = Sc·Vr, (Vr, other) = Ss·Vr, (Vi, same) = Ss·Vi, (Vi, other) = Sc·Vi.
 * Correlation (forward): out[j] = (1/L)[P₀ + (−1)^j P_N + 2 Σ_ω (Re cos φ − Im sin φ)],
 *   Re = Sc·Vr + Ss·Vi, Im = Sc·Vi − Ss·Vr, φ = 2π ω j / L.
 * Convolution (gradient), read at u = j + K − 1:
 *   Re = Sc·Vr − Ss·Vi, Im = −(Sc·Vi + Ss·Vr).
 */
function synthesisMatrices(p: SpectralPlan, kind: 'correlate' | 'convolve'): { real: Float32Array; pairs: Float32Array } {
  const { size: L, half: J, hop: m, kernel: K } = p;
  const real = new Float32Array(m * 2);
  const pairs = new Float32Array(m * 4 * J);
  for (let j = 0; j < m; j++) {
    const u = kind === 'correlate' ? j : j + K - 1;
    real[j * 2] = 1 / L;
    real[j * 2 + 1] = (u % 2 ? -1 : 1) / L;
    for (let w = 1; w <= J; w++) {
      const phi = (2 * Math.PI * w * u) / L;
      const c = (2 / L) * Math.cos(phi);
      const s = (2 / L) * Math.sin(phi);
      const row = j * 4 * J;
      const rVr = w - 1;
      const rVi = J + w - 1;
      if (kind === 'correlate') {
        // Re·cos − Im·sin with Re = ScVr + SsVi, Im = ScVi − SsVr.
        pairs[row + 2 * rVr] = c; // Sc·Vr
        pairs[row + 2 * rVr + 1] = s; // Ss·Vr
        pairs[row + 2 * rVi] = c; // Ss·Vi
        pairs[row + 2 * rVi + 1] = -s; // Sc·Vi
      } else {
        // Re·cos − Im·sin with Re = ScVr − SsVi, Im = −(ScVi + SsVr).
        pairs[row + 2 * rVr] = c;
        pairs[row + 2 * rVr + 1] = s;
        pairs[row + 2 * rVi] = -c;
        pairs[row + 2 * rVi + 1] = s;
      }
    }
  }
  return { real, pairs };
}

/** Frame-major blocks [L, B, C] of `src` rows → the two transformed parts, ready for the products. */
function analyse(g: GraphBuilder, src: string, idx: number[], p: SpectralPlan, blocks: number, channels: number) {
  const { size: L, half: J } = p;
  const a = analysisMatrices(p);
  const seg = g.op('Reshape', [g.op('Gather', [src, g.intsShaped(idx, [L, blocks])], { axis: 0 }), g.ints([L, blocks * channels])]);
  const real = g.op('Reshape', [g.op('MatMul', [g.floats(a.real, [2, L]), seg]), g.ints([2, blocks, channels])]);
  const pairs = g.op('Reshape', [g.op('MatMul', [g.floats(a.pairs, [4 * J, L]), seg]), g.ints([2 * J, 2 * blocks, channels])]);
  return { real, pairs };
}

/** [2, B, C] and [2J, 2B, C] products → frames [rows, C] (the first `rows` of B·m). */
function synthesise(g: GraphBuilder, real: string, pairs: string, p: SpectralPlan, kind: 'correlate' | 'convolve', blocks: number, channels: number, rows: number): string {
  const { hop: m, half: J } = p;
  const s = synthesisMatrices(p, kind);
  const flat = (v: string, n: number) => g.op('Reshape', [v, g.ints([n, blocks * channels])]);
  const sum = g.op('Add', [g.op('MatMul', [g.floats(s.real, [m, 2]), flat(real, 2)]), g.op('MatMul', [g.floats(s.pairs, [m, 4 * J]), flat(pairs, 4 * J)])]);
  const framesMajor = g.op('Transpose', [g.op('Reshape', [sum, g.ints([m, blocks, channels])])], { perm: [1, 0, 2] });
  const all = g.op('Reshape', [framesMajor, g.ints([blocks * m, channels])]);
  return blocks * m === rows ? all : g.op('Slice', [all, g.ints([0]), g.ints([rows]), g.ints([0])]);
}

/**
 * Z = conv(X) [T', N] from x [frames, F] and the spectral weights w0 [2, F, N], wc [2J, F, N].
 */
export function spectralConv(g: GraphBuilder, x: string, w0: string, wc: string, p: SpectralPlan, frames: number, bins: number, filters: number): string {
  const { size: L, hop: m } = p;
  const tp = frames - p.kernel + 1;
  const blocks = Math.ceil(tp / m);
  // Frames past the end only feed outputs past T', which are cut off: any row will do.
  const idx = new Array<number>(L * blocks);
  for (let l = 0; l < L; l++) for (let b = 0; b < blocks; b++) idx[l * blocks + b] = Math.min(b * m + l, frames - 1);
  const s = analyse(g, x, idx, p, blocks, bins);
  const real = g.op('MatMul', [s.real, w0]);
  const pairs = g.op('MatMul', [s.pairs, wc]);
  return synthesise(g, real, pairs, p, 'correlate', blocks, filters, tp);
}

/**
 * The conv's input gradient: dX [frames, F] with dX[s, f] = Σ_k Σ_n dZ[s − k, n] · W[k, f, n],
 * from dz [T', N] and the same spectral weights (used transposed).
 */
export function spectralConvGrad(g: GraphBuilder, dz: string, w0: string, wc: string, p: SpectralPlan, frames: number, bins: number, filters: number): string {
  const { size: L, hop: m, kernel: K } = p;
  const tp = frames - K + 1;
  const blocks = Math.ceil(frames / m);
  // Block b reads dZ rows b·m − (K − 1) … b·m + m − 1, zero outside [0, T').
  const padded = g.op('Pad', [dz, g.ints([K - 1, 0, blocks * m - tp, 0])]);
  const idx = new Array<number>(L * blocks);
  for (let l = 0; l < L; l++) for (let b = 0; b < blocks; b++) idx[l * blocks + b] = b * m + l;
  const s = analyse(g, padded, idx, p, blocks, filters);
  const real = g.op('FusedMatMul', [s.real, w0], { transB: 1 }, MS_DOMAIN);
  const pairs = g.op('FusedMatMul', [s.pairs, wc], { transB: 1 }, MS_DOMAIN);
  return synthesise(g, real, pairs, p, 'convolve', blocks, bins, frames);
}
