/**
 * The match-EQ baseline: the content filtered by one fixed EQ curve that turns its long-term
 * spectrum into the style's. A one-line method any mixing engineer has; a style transfer
 * has to beat it on timbre.
 */
import { istft, stft, type StftShape } from '../../engine/dsp/stft';
import { normalisePeak } from '../../engine/render';

/** STFT of the match EQ: nFft 2048, hop 512 (75 % overlap). */
export const MATCH_EQ_SHAPE: StftShape = { nFft: 2048, hop: 512 };
/** Smoothing width: 1/3 octave in total, ±1/6 octave around each bin. */
export const SMOOTHING_OCTAVES = 1 / 3;
/** Regularisation of each smoothed spectrum, relative to its maximum: −60 dB. */
export const EQ_FLOOR_DB = -60;
/** Output peak, as the presets' default. */
export const EQ_PEAK_DB = -1;

/** Mean power spectrum: P[k] = mean over frames of |X[t,k]|², `bins` values. */
export function meanPowerSpectrum(signal: Float32Array, shape: StftShape = MATCH_EQ_SHAPE): Float64Array {
  const s = stft(signal, shape);
  const p = new Float64Array(s.bins);
  for (let t = 0; t < s.frames; t++) {
    for (let k = 0; k < s.bins; k++) {
      const i = t * s.bins + k;
      p[k] += s.re[i] * s.re[i] + s.im[i] * s.im[i];
    }
  }
  return p.map((v) => v / s.frames);
}

/**
 * Fractional-octave smoothing: S[k] = mean of P[j] over bins j from ⌊k·2^(−w/2)⌋ to
 * ⌈k·2^(w/2)⌉ (clamped to the spectrum), w = `octaves`; bin 0 averages bins 0 and 1.
 */
export function smoothSpectrum(p: Float64Array, octaves = SMOOTHING_OCTAVES): Float64Array {
  const n = p.length;
  const prefix = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) prefix[k + 1] = prefix[k] + p[k];
  const half = Math.pow(2, octaves / 2);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const lo = k === 0 ? 0 : Math.floor(k / half);
    const hi = k === 0 ? Math.min(1, n - 1) : Math.min(n - 1, Math.ceil(k * half));
    out[k] = (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
  }
  return out;
}

/**
 * The EQ's amplitude gain per bin: G[k] = √((S_style[k] + ε_s) / (S_content[k] + ε_c)),
 * S = smoothSpectrum(meanPowerSpectrum(·)), ε = max(S)·10^(−60/10) for each signal.
 */
export function matchEqGain(content: Float32Array, style: Float32Array): Float64Array {
  const sc = smoothSpectrum(meanPowerSpectrum(content));
  const ss = smoothSpectrum(meanPowerSpectrum(style));
  const floor = (s: Float64Array) => s.reduce((m, v) => Math.max(m, v), 0) * Math.pow(10, EQ_FLOOR_DB / 10) || Number.MIN_VALUE;
  const ec = floor(sc);
  const es = floor(ss);
  return sc.map((c, k) => Math.sqrt((ss[k] + es) / (c + ec)));
}

/**
 * Match EQ: every STFT frame of the content (MATCH_EQ_SHAPE) multiplied by `matchEqGain`,
 * keeping the content's phase, back by overlap-add, then peak-normalised to −1 dBFS.
 * @returns as many samples as the content
 */
export function matchEq(content: Float32Array, style: Float32Array): Float32Array {
  const g = matchEqGain(content, style);
  const spec = stft(content, MATCH_EQ_SHAPE);
  for (let t = 0; t < spec.frames; t++) {
    for (let k = 0; k < spec.bins; k++) {
      spec.re[t * spec.bins + k] *= g[k];
      spec.im[t * spec.bins + k] *= g[k];
    }
  }
  return normalisePeak(istft(spec, MATCH_EQ_SHAPE, content.length), true, EQ_PEAK_DB).samples;
}
