/**
 * Triangular filterbanks on the STFT bins (the mel and log-frequency front ends, the onset
 * detector, the quality benchmark's distances) and their least-squares inverse.
 *
 * Each band b is a triangle between the centres of its neighbours, evaluated at the STFT
 * bins' centre frequencies. By default its weights are normalised to sum to 1, so a band's
 * value is the average under it and a flat spectrum stays flat; 'peak' keeps the triangle's
 * peak at 1 (HTK's convention, where wide high bands collect more power). Where a band is
 * narrower than the STFT's bin spacing (low frequencies) and would catch no bin, it takes
 * the nearest bin. Every STFT bin belongs to at most two bands, so the bank is stored sparse.
 *
 * The inverse finds a non-negative linear magnitude m with B·m ≈ y for each frame by
 * multiplicative updates m ← m ⊙ (Bᵀy) / (BᵀB·m + ε) (Lee & Seung's rule for non-negative
 * least squares), started from the band values interpolated between the bands' centres.
 */

import { GramophoneError } from '../../common/errors';
import type { ComplexSpectrogram } from './stft';

/** How a band's weights are scaled: summing to 1 (an average), or peaking at 1 (a sum). */
export type BandWeighting = 'average' | 'peak';

/** A sparse bands × bins matrix: for each band, its bins and weights. */
export interface Filterbank {
  bands: number;
  /** nFft/2 + 1. */
  bins: number;
  /** Band centres in Hz. */
  centres: Float32Array;
  /** rows[b] = [bin indices, weights] (see `BandWeighting`). */
  rows: { bins: Int32Array; weights: Float32Array }[];
}

/**
 * Triangles with the given edges: band b spans edges[b] … edges[b + 2] with its peak at
 * edges[b + 1] (all in Hz, increasing).
 */
export function triangularFilterbank(edgesHz: readonly number[], sampleRate: number, nFft: number, weighting: BandWeighting = 'average'): Filterbank {
  const bins = nFft / 2 + 1;
  const hzPerBin = sampleRate / nFft;
  const bands = edgesHz.length - 2;
  const rows: Filterbank['rows'] = [];
  for (let b = 0; b < bands; b++) {
    const [lo, mid, hi] = [edgesHz[b], edgesHz[b + 1], edgesHz[b + 2]];
    const idx: number[] = [];
    const w: number[] = [];
    for (let k = Math.max(0, Math.floor(lo / hzPerBin)); k <= Math.min(bins - 1, Math.ceil(hi / hzPerBin)); k++) {
      const f = k * hzPerBin;
      const v = f <= mid ? (f - lo) / (mid - lo) : (hi - f) / (hi - mid);
      if (v > 0) {
        idx.push(k);
        w.push(v);
      }
    }
    if (!idx.length) {
      idx.push(Math.min(bins - 1, Math.round(mid / hzPerBin)));
      w.push(1);
    }
    const total = weighting === 'average' ? w.reduce((a, c) => a + c, 0) : 1;
    rows.push({ bins: Int32Array.from(idx), weights: Float32Array.from(w, (v) => v / total) });
  }
  return { bands, bins, centres: Float32Array.from(edgesHz.slice(1, -1)), rows };
}

/**
 * Y = B · M per frame.
 * @param mag frames × bins row-major (a magnitude or a power)
 * @returns frames × bands row-major
 */
export function applyFilterbank(fb: Filterbank, mag: Float32Array, frames: number): Float32Array {
  const out = new Float32Array(frames * fb.bands);
  for (let t = 0; t < frames; t++) {
    const m = t * fb.bins;
    for (let b = 0; b < fb.bands; b++) {
      const { bins, weights } = fb.rows[b];
      let s = 0;
      for (let i = 0; i < bins.length; i++) s += weights[i] * mag[m + bins[i]];
      out[t * fb.bands + b] = s;
    }
  }
  return out;
}

/** Multiplicative-update iterations of the inverse: enough to settle to < 1 % on smooth spectra. */
const INVERSE_ITERATIONS = 60;

/**
 * A non-negative linear magnitude M with B·M ≈ Y per frame (see the file comment).
 * @param y frames × bands row-major, ≥ 0
 * @returns frames × bins row-major, ≥ 0
 */
export function invertFilterbank(fb: Filterbank, y: Float32Array, frames: number, iterations = INVERSE_ITERATIONS): Float32Array {
  const { bands, bins, rows } = fb;
  const out = new Float32Array(frames * bins);
  const m = new Float64Array(bins);
  const bty = new Float64Array(bins);
  const bm = new Float64Array(bands);
  const btbm = new Float64Array(bins);
  // Each band's centre in bins (its weighted mean bin), and for each bin the first band centred at or above it.
  const centreBins = rows.map((r) => r.bins.reduce((s, k, i) => s + k * r.weights[i], 0));
  const upper = Int32Array.from({ length: bins }, (_v, k) => {
    const j = centreBins.findIndex((c) => c >= k);
    return j < 0 ? bands - 1 : j;
  });
  for (let t = 0; t < frames; t++) {
    bty.fill(0);
    for (let b = 0; b < bands; b++) {
      const v = Math.max(0, y[t * bands + b]);
      const r = rows[b];
      for (let i = 0; i < r.bins.length; i++) bty[r.bins[i]] += r.weights[i] * v;
    }
    // Start: the band values interpolated linearly between the bands' centres (exact for a
    // spectrum linear in frequency), held flat beyond the outermost centres.
    for (let k = 0; k < bins; k++) {
      const j = Math.min(bands - 1, Math.max(0, upper[k]));
      const i = Math.max(0, j - 1);
      const yi = Math.max(0, y[t * bands + i]);
      const yj = Math.max(0, y[t * bands + j]);
      const span = centreBins[j] - centreBins[i];
      const w = span > 0 ? Math.min(1, Math.max(0, (k - centreBins[i]) / span)) : 0;
      m[k] = bty[k] > 0 ? yi + w * (yj - yi) : 0;
    }
    for (let it = 0; it < iterations; it++) {
      for (let b = 0; b < bands; b++) {
        const r = rows[b];
        let s = 0;
        for (let i = 0; i < r.bins.length; i++) s += r.weights[i] * m[r.bins[i]];
        bm[b] = s;
      }
      btbm.fill(0);
      for (let b = 0; b < bands; b++) {
        const r = rows[b];
        for (let i = 0; i < r.bins.length; i++) btbm[r.bins[i]] += r.weights[i] * bm[b];
      }
      for (let k = 0; k < bins; k++) if (m[k] > 0) m[k] *= bty[k] / (btbm[k] + 1e-12);
    }
    for (let k = 0; k < bins; k++) out[t * bins + k] = m[k];
  }
  return out;
}

/**
 * Band power spectrogram: P[t·bands + b] = Σ_k B[b, k]·|X[t, k]|².
 * @param spec complex spectrogram, frames × bins (bins must equal the bank's)
 * @returns frames × bands, row-major
 */
export function bandPower(spec: ComplexSpectrogram, fb: Filterbank): Float32Array {
  if (spec.bins !== fb.bins) {
    throw new GramophoneError('INVALID_INPUT', `A spectrogram with ${spec.bins} bins does not fit a filterbank made for ${fb.bins}.`);
  }
  const power = new Float32Array(spec.re.length);
  for (let i = 0; i < power.length; i++) power[i] = spec.re[i] * spec.re[i] + spec.im[i] * spec.im[i];
  return applyFilterbank(fb, power, spec.frames);
}

/** Mel of a frequency in Hz (HTK formula): 2595 · log10(1 + f / 700 Hz). */
export const hzToMel = (hz: number): number => 2595 * Math.log10(1 + hz / 700);
/** Frequency in Hz of a mel value (inverse of `hzToMel`). */
export const melToHz = (mel: number): number => 700 * (10 ** (mel / 2595) - 1);

/**
 * `bands` mel triangles between fMin and fMax (Hz), the bands + 2 edges equally spaced in mel.
 * @throws GramophoneError INVALID_INPUT for fewer than one band or an empty range
 */
export function melFilterbank(bands: number, fMin: number, fMax: number, sampleRate: number, nFft: number, weighting: BandWeighting = 'average'): Filterbank {
  if (!Number.isInteger(bands) || bands < 1) throw new GramophoneError('INVALID_INPUT', `A mel filterbank needs at least one band, not ${bands}.`);
  if (!(fMin >= 0 && fMax > fMin && fMax <= sampleRate / 2)) {
    throw new GramophoneError('INVALID_INPUT', `A mel filterbank needs 0 ≤ fMin < fMax ≤ ${sampleRate / 2} Hz, not ${fMin}–${fMax} Hz.`);
  }
  const lo = hzToMel(fMin);
  const hi = hzToMel(fMax);
  const edges = Array.from({ length: bands + 2 }, (_v, i) => melToHz(lo + ((hi - lo) * i) / (bands + 1)));
  return triangularFilterbank(edges, sampleRate, nFft, weighting);
}

/** Log-frequency triangles `binsPerOctave` per octave from fMin up to the Nyquist frequency (constant-Q-like). */
export function logFrequencyFilterbank(binsPerOctave: number, fMin: number, sampleRate: number, nFft: number): Filterbank {
  const nyquist = sampleRate / 2;
  const edges: number[] = [fMin * 2 ** (-1 / binsPerOctave)];
  for (let k = 0; ; k++) {
    const f = fMin * 2 ** (k / binsPerOctave);
    if (f * 2 ** (1 / binsPerOctave) > nyquist) break;
    edges.push(f);
  }
  edges.push(Math.min(nyquist, edges[edges.length - 1] * 2 ** (1 / binsPerOctave)));
  return triangularFilterbank(edges, sampleRate, nFft);
}
