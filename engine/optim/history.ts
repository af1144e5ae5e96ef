/**
 * L-BFGS's memory of the last m steps and its inverse-Hessian product in the compact form
 * (Byrd, Nocedal & Schnabel 1994; Nocedal & Wright, Numerical Optimization, eq. 7.24):
 *
 *   H·q = γ·q + S·p₁ + γ·Y·p₂,   p₂ = −R⁻¹·(Sᵀq),   p₁ = R⁻ᵀ·((D + γ·YᵀY)·R⁻¹·(Sᵀq) − γ·Yᵀq)
 *
 * where S, Y hold the pairs (oldest first), R is the upper triangle of SᵀY and D its
 * diagonal. It equals the two-loop recursion's H·q, but the work on n-long vectors is two
 * matrix products with the whole history (Sᵀq and Yᵀq at once, then the combination; and
 * when a pair arrives, its products with the others, which keep SᵀY and YᵀY up to date)
 * instead of 2·m dependent passes, and those products run on whatever `HistoryKernels`
 * the caller supplies: plain loops here, onnxruntime's multi-threaded GEMV in
 * objective/onnx/history-kernels.ts (a spectrogram's history is 2·10 rows of ~0.4 M floats,
 * 35 MB read per product).
 */

/**
 * The two products with the history's rows. The history is a row-major Float32Array of
 * rows × n: row 2j is pair j's step s_j, row 2j + 1 its gradient change y_j.
 */
export interface HistoryKernels {
  /**
   * The products of the history's first `rows` rows with one vector.
   * @param h the history, at least rows × n
   * @param v n floats (may be a row of `h` itself)
   * @returns rows products, out[r] = H_r · v
   */
  products(h: Float32Array, rows: number, v: Float32Array, n: number): Promise<Float64Array>;
  /**
   * out = scale·base + Σ_r coef[r]·H_r over r < coef.length.
   * @param out n floats (not `base`)
   */
  combine(h: Float32Array, coef: Float64Array, base: Float32Array, scale: number, out: Float32Array, n: number): Promise<void>;
}

/** The kernels as plain loops, float64 sums: deterministic, for any backend. */
export const jsHistoryKernels: HistoryKernels = {
  async products(h, rows, v, n) {
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      const ho = r * n;
      for (let i = 0; i < n; i++) s += h[ho + i] * v[i];
      out[r] = s;
    }
    return out;
  },
  async combine(h, coef, base, scale, out, n) {
    for (let i = 0; i < n; i++) out[i] = scale * base[i];
    for (let r = 0; r < coef.length; r++) {
      const a = coef[r];
      if (a === 0) continue;
      const ho = r * n;
      for (let i = 0; i < n; i++) out[i] += a * h[ho + i];
    }
  },
};

/**
 * The small matrices of the compact form for up to `slots` pairs kept in a ring, indexed by
 * slot: SY[a][b] = s_aᵀy_b and YY[a][b] = y_aᵀy_b, updated as each pair arrives.
 */
export class PairProducts {
  readonly sy: Float64Array;
  readonly yy: Float64Array;

  constructor(readonly slots: number) {
    this.sy = new Float64Array(slots * slots);
    this.yy = new Float64Array(slots * slots);
  }

  /**
   * Record the products of the pair just stored in slot j with every stored pair.
   * @param withS,withY the products of the history's rows with s_j and with y_j (row 2a is s_a, 2a + 1 is y_a)
   * @param filled slots holding a pair, j among them
   * @param sy,yy s_jᵀy_j and y_jᵀy_j as the optimiser computed them (its acceptance test used these)
   */
  record(j: number, withS: Float64Array, withY: Float64Array, filled: readonly number[], sy: number, yy: number): void {
    const m = this.slots;
    for (const a of filled) {
      this.sy[a * m + j] = withY[2 * a]; // s_aᵀ y_j
      this.sy[j * m + a] = withS[2 * a + 1]; // s_jᵀ y_a
      this.yy[a * m + j] = this.yy[j * m + a] = withY[2 * a + 1]; // y_aᵀ y_j
    }
    this.sy[j * m + j] = sy;
    this.yy[j * m + j] = yy;
  }

  /**
   * The coefficients of H·q on the history's rows (row 2j for s_j, 2j + 1 for y_j; the
   * caller adds γ·q), from the products of q with every row.
   * @param order the filled slots, oldest first
   * @param withQ (2·slots) products of the history's rows with q
   * @returns 2·slots coefficients (zero for empty slots)
   */
  coefficients(order: readonly number[], withQ: Float64Array, gamma: number): Float64Array {
    const m = this.slots;
    const L = order.length;
    const u = order.map((a) => withQ[2 * a]); // Sᵀq, oldest first
    const v = order.map((a) => withQ[2 * a + 1]); // Yᵀq
    const R = (i: number, k: number) => this.sy[order[i] * m + order[k]]; // s_iᵀ y_k, used for i ≤ k
    // w = R⁻¹·u by back substitution (R upper triangular).
    const w = new Float64Array(L);
    for (let i = L - 1; i >= 0; i--) {
      let s = u[i];
      for (let k = i + 1; k < L; k++) s -= R(i, k) * w[k];
      w[i] = s / R(i, i);
    }
    // rhs = (D + γ·YᵀY)·w − γ·v, then p₁ = R⁻ᵀ·rhs by forward substitution.
    const rhs = new Float64Array(L);
    for (let i = 0; i < L; i++) {
      let s = R(i, i) * w[i] - gamma * v[i];
      for (let k = 0; k < L; k++) s += gamma * this.yy[order[i] * m + order[k]] * w[k];
      rhs[i] = s;
    }
    const p1 = new Float64Array(L);
    for (let i = 0; i < L; i++) {
      let s = rhs[i];
      for (let k = 0; k < i; k++) s -= R(k, i) * p1[k];
      p1[i] = s / R(i, i);
    }
    const coef = new Float64Array(2 * m);
    order.forEach((a, i) => {
      coef[2 * a] = p1[i];
      coef[2 * a + 1] = -gamma * w[i];
    });
    return coef;
  }
}
