/**
 * Pitch tracking: YIN (de Cheveigné & Kawahara 2002, steps 1–5) on a mono signal. Used by
 * the note templates the objective builds, and by the quality benchmark's pitch metric.
 */

/** How much shallower (in d′) than the global minimum a first dip may be and still be the period. */
const OCTAVE_SLACK = 0.1;

export interface YinOptions {
  /** Hz. */
  sampleRate: number;
  /** Samples between frames (default 256). */
  hop?: number;
  /** Integration window W in samples (default 1024, 46 ms at 22.05 kHz). */
  window?: number;
  /** Lowest pitch searched, Hz (default 60). */
  fMin?: number;
  /** Highest pitch searched, Hz (default 1600). */
  fMax?: number;
  /** Absolute threshold on the normalised difference (default 0.15). */
  threshold?: number;
  /** Frames quieter than this, relative to the loudest frame, get no estimate (default −60 dB). */
  silenceDb?: number;
}

/** A pitch track: frame i is centred on sample i·hop. */
export interface PitchTrack {
  hop: number;
  sampleRate: number;
  /** Estimated f0 per frame in Hz, NaN where there is no estimate (silence). */
  f0: Float32Array;
  /** The normalised difference d′ at the chosen lag (0 = perfectly periodic), NaN in silence. */
  aperiodicity: Float32Array;
}

/**
 * Σ_{j<W} x_j·x_{j+τ}, in four running sums: the loop YIN spends its time in, about twice as
 * fast as one sum (the additions no longer wait on each other).
 */
function lagProduct(x: Float64Array, tau: number, W: number): number {
  let r0 = 0;
  let r1 = 0;
  let r2 = 0;
  let r3 = 0;
  const W4 = W - (W % 4);
  for (let j = 0; j < W4; j += 4) {
    r0 += x[j] * x[j + tau];
    r1 += x[j + 1] * x[j + 1 + tau];
    r2 += x[j + 2] * x[j + 2 + tau];
    r3 += x[j + 3] * x[j + 3 + tau];
  }
  for (let j = W4; j < W; j++) r0 += x[j] * x[j + tau];
  return r0 + r1 + (r2 + r3);
}

/**
 * YIN. Frame i covers x[c − W/2 … c + W/2 + τmax) with c = i·hop (zeros outside the signal).
 * Step 2: d(τ) = Σ_{j<W} (x_j − x_{j+τ})² for τ = 1 … τmax = ⌈sampleRate / fMin⌉.
 * Step 3: d′(τ) = d(τ)·τ / Σ_{k=1}^{τ} d(k).
 * Step 4: the first τ ≥ τmin = ⌊sampleRate / fMax⌋ with d′(τ) < threshold, followed down to
 * its local minimum; when none is below the threshold, the first local minimum within
 * OCTAVE_SLACK of the global minimum of d′ on [τmin, τmax] (the global minimum itself is
 * often twice the period on breathy sounds). Step 5: parabolic interpolation of d′ around that τ; f0 = sampleRate / τ.
 * Frames whose energy Σ_{j<W} x_j² is more than `silenceDb` below the loudest frame's (or
 * zero) get f0 = NaN. Non-finite samples are read as 0.
 */
export function yin(signal: Float32Array, options: YinOptions): PitchTrack {
  const { sampleRate, hop = 256, window: W = 1024, fMin = 60, fMax = 1600, threshold = 0.15, silenceDb = -60 } = options;
  const tauMax = Math.ceil(sampleRate / fMin);
  const tauMin = Math.max(2, Math.floor(sampleRate / fMax));
  const frames = 1 + Math.floor(signal.length / hop);
  const f0 = new Float32Array(frames).fill(NaN);
  const aperiodicity = new Float32Array(frames).fill(NaN);
  const energy = new Float64Array(frames);
  const span = W + tauMax + 1;
  const x = new Float64Array(span);
  const d = new Float64Array(tauMax + 2);
  const dn = new Float64Array(tauMax + 2);

  const load = (i: number) => {
    // W may be odd: the frame starts ⌊W/2⌋ before its centre.
    const start = i * hop - (W >> 1);
    for (let j = 0; j < span; j++) {
      const k = start + j;
      const v = k >= 0 && k < signal.length ? signal[k] : 0;
      x[j] = Number.isFinite(v) ? v : 0;
    }
  };
  let loudest = 0;
  for (let i = 0; i < frames; i++) {
    load(i);
    let e = 0;
    for (let j = 0; j < W; j++) e += x[j] * x[j];
    energy[i] = e;
    if (e > loudest) loudest = e;
  }
  const quiet = loudest * Math.pow(10, silenceDb / 10);

  for (let i = 0; i < frames; i++) {
    if (!(energy[i] > quiet) || energy[i] === 0) continue;
    load(i);
    // d(τ) = e(0) + e(τ) − 2·r(τ), with e(τ) = Σ_{j<W} x_{j+τ}² kept as a running sum.
    const e0 = energy[i];
    let eTau = e0;
    let cumulative = 0;
    dn[0] = 1;
    for (let tau = 1; tau <= tauMax + 1; tau++) {
      eTau += x[W + tau - 1] * x[W + tau - 1] - x[tau - 1] * x[tau - 1];
      const r = lagProduct(x, tau, W);
      d[tau] = Math.max(0, e0 + eTau - 2 * r);
      cumulative += d[tau];
      dn[tau] = cumulative > 0 ? (d[tau] * tau) / cumulative : 1;
    }
    let best = -1;
    for (let tau = tauMin; tau <= tauMax; tau++) {
      if (dn[tau] < threshold) {
        while (tau + 1 <= tauMax && dn[tau + 1] < dn[tau]) tau++;
        best = tau;
        break;
      }
    }
    if (best < 0) {
      // No dip below the threshold (breathy or noisy sound): the global minimum is often a
      // multiple of the period, so take the first local minimum nearly as deep as it.
      let global = tauMin;
      for (let tau = tauMin + 1; tau <= tauMax; tau++) if (dn[tau] < dn[global]) global = tau;
      best = global;
      for (let tau = tauMin + 1; tau < global; tau++) {
        if (dn[tau] <= dn[tau - 1] && dn[tau] <= dn[tau + 1] && dn[tau] < dn[global] + OCTAVE_SLACK) {
          best = tau;
          break;
        }
      }
    }
    const a = dn[best - 1];
    const b = dn[best];
    const c = dn[best + 1];
    const curvature = a - 2 * b + c;
    const shift = curvature > 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / curvature)) : 0;
    f0[i] = sampleRate / (best + shift);
    aperiodicity[i] = b;
  }
  return { hop, sampleRate, f0, aperiodicity };
}

/** Cents from `ref` Hz to `f` Hz: 1200·log2(f / ref). */
export const cents = (f: number, ref: number): number => 1200 * Math.log2(f / ref);
