/**
 * Mel filterbanks on the HTK mel scale, mel(f) = 2595·log10(1 + f / 700 Hz), and the mel
 * power spectrogram they give.
 */
import { GramophoneError } from '../../common/errors';
import type { ComplexSpectrogram } from './stft';

/** Mel of a frequency in Hz (HTK formula). */
export const hzToMel = (hz: number): number => 2595 * Math.log10(1 + hz / 700);
/** Frequency in Hz of a mel value (inverse of `hzToMel`). */
export const melToHz = (mel: number): number => 700 * (Math.pow(10, mel / 2595) - 1);

/**
 * Triangular filters over the bins of an `nFft`-point real FFT. Band b rises linearly from
 * edge b to a peak of 1 at edge b + 1 and falls to 0 at edge b + 2, where the bands + 2
 * edges are equally spaced in mel from fMin to fMax. Bin k sits at k·sampleRate/nFft Hz.
 * Filters are not area-normalised: the distances built on them remove level differences.
 */
export interface MelBank {
  bands: number;
  /** nFft/2 + 1. */
  bins: number;
  /** Peak (centre) frequency of each band in Hz, length `bands`. */
  centresHz: Float64Array;
  /** First bin of band b with non-zero weight, length `bands`. */
  start: Int32Array;
  /** Weights of band b for bins start[b] … start[b] + weights[b].length − 1. */
  weights: Float32Array[];
}

/**
 * @param bands number of triangles (≥ 1)
 * @param nFft FFT size in samples (even)
 * @param sampleRate Hz
 * @param fMin lower edge of the first band in Hz (default 0)
 * @param fMax upper edge of the last band in Hz (default sampleRate / 2)
 * @throws GramophoneError INVALID_INPUT when the frequency range is empty or a band is too
 *   narrow to hold any bin (use fewer bands or a larger FFT)
 */
export function melFilterbank(bands: number, nFft: number, sampleRate: number, fMin = 0, fMax = sampleRate / 2): MelBank {
  if (!Number.isInteger(bands) || bands < 1) throw new GramophoneError('INVALID_INPUT', `A mel filterbank needs at least one band, not ${bands}.`);
  if (!(fMin >= 0 && fMax > fMin && fMax <= sampleRate / 2)) {
    throw new GramophoneError('INVALID_INPUT', `A mel filterbank needs 0 ≤ fMin < fMax ≤ ${sampleRate / 2} Hz, not ${fMin}–${fMax} Hz.`);
  }
  const bins = nFft / 2 + 1;
  const m0 = hzToMel(fMin);
  const step = (hzToMel(fMax) - m0) / (bands + 1);
  const edge = (i: number) => melToHz(m0 + i * step);
  const centresHz = new Float64Array(bands);
  const start = new Int32Array(bands);
  const weights: Float32Array[] = [];
  const binHz = sampleRate / nFft;
  for (let b = 0; b < bands; b++) {
    const lo = edge(b);
    const mid = edge(b + 1);
    const hi = edge(b + 2);
    centresHz[b] = mid;
    const first = Math.max(0, Math.floor(lo / binHz) + 1);
    const last = Math.min(bins - 1, Math.ceil(hi / binHz) - 1);
    const w = new Float32Array(Math.max(0, last - first + 1));
    for (let k = first; k <= last; k++) {
      const f = k * binHz;
      w[k - first] = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
    }
    if (!w.some((v) => v > 0)) {
      throw new GramophoneError(
        'INVALID_INPUT',
        `Mel band ${b + 1} of ${bands} (${lo.toFixed(1)}–${hi.toFixed(1)} Hz) holds no FFT bin at nFft ${nFft}: use fewer bands or a larger FFT.`,
      );
    }
    start[b] = first;
    weights.push(w);
  }
  return { bands, bins, centresHz, start, weights };
}

/**
 * Mel power spectrogram: P[t·bands + b] = Σ_k weight[b][k]·|X[t, k]|².
 * @param spec complex spectrogram, frames × bins (bins must equal the bank's)
 * @returns frames × bands, row-major
 */
export function melPower(spec: ComplexSpectrogram, bank: MelBank): Float32Array {
  if (spec.bins !== bank.bins) {
    throw new GramophoneError('INVALID_INPUT', `A spectrogram with ${spec.bins} bins does not fit a mel bank made for ${bank.bins}.`);
  }
  const { frames, bins, re, im } = spec;
  const out = new Float32Array(frames * bank.bands);
  const power = new Float64Array(bins);
  for (let t = 0; t < frames; t++) {
    const row = t * bins;
    for (let k = 0; k < bins; k++) power[k] = re[row + k] * re[row + k] + im[row + k] * im[row + k];
    for (let b = 0; b < bank.bands; b++) {
      const w = bank.weights[b];
      const s = bank.start[b];
      let acc = 0;
      for (let i = 0; i < w.length; i++) acc += w[i] * power[s + i];
      out[t * bank.bands + b] = acc;
    }
  }
  return out;
}
