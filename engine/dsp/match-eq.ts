/**
 * A match EQ: the content filtered by one fixed curve that turns its long-term spectrum into
 * the style's — the one-line method any mixing engineer has. The quality benchmark's
 * baseline (a style transfer has to beat it on timbre) and the `matchEq` start of the
 * optimiser.
 *
 * gain[k] = √((S̃s[k] + εs) / (S̃c[k] + εc)), where S is the mean power over frames of each
 * STFT bin, ~ averages it over a third of an octave around the bin, and ε = max(S̃)·10^(−60/10)
 * regularises each signal: a bin one input lacks is neither boosted into noise nor cut to
 * nothing (the gain stays within ±60 dB). Phases are the content's.
 */
import type { ComplexSpectrogram } from './stft';

/** Smoothing width: a third of an octave in total, ±1/6 octave around each bin. */
export const MATCH_EQ_SMOOTHING_OCTAVES = 1 / 3;
/** Regularisation of each smoothed spectrum, relative to its maximum, dB. */
export const MATCH_EQ_FLOOR_DB = -60;

/** Mean power over frames per bin: P[k] = mean_t |X[t,k]|², `bins` values. */
function meanPower(spec: ComplexSpectrogram): Float64Array {
  const p = new Float64Array(spec.bins);
  for (let t = 0; t < spec.frames; t++) {
    for (let k = 0; k < spec.bins; k++) {
      const i = t * spec.bins + k;
      p[k] += spec.re[i] * spec.re[i] + spec.im[i] * spec.im[i];
    }
  }
  for (let k = 0; k < spec.bins; k++) p[k] /= Math.max(1, spec.frames);
  return p;
}

/**
 * Fractional-octave smoothing: S[k] = mean of P[j] over bins j from ⌊k·2^(−w/2)⌋ to
 * ⌈k·2^(w/2)⌉ (at least k ± 1, clamped to the spectrum), w = `octaves`.
 */
export function smoothSpectrum(p: Float64Array, octaves = MATCH_EQ_SMOOTHING_OCTAVES): Float64Array {
  const n = p.length;
  const prefix = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) prefix[k + 1] = prefix[k] + p[k];
  const half = 2 ** (octaves / 2);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const lo = Math.max(0, Math.min(k - 1, Math.floor(k / half)));
    const hi = Math.min(n - 1, Math.max(k + 1, Math.ceil(k * half)));
    out[k] = (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
  }
  return out;
}

/**
 * The per-bin gains of the match EQ from `content` towards `style` (see the file comment).
 * @param content STFT, frames × bins
 * @param style STFT of the same nFft (any number of frames)
 * @returns bins gains (linear amplitude); all 1 when either input is silent
 */
export function matchEqGains(content: ComplexSpectrogram, style: ComplexSpectrogram): Float64Array {
  const sc = smoothSpectrum(meanPower(content));
  const ss = smoothSpectrum(meanPower(style));
  const floor = (s: Float64Array) => s.reduce((m, v) => Math.max(m, v), 0) * 10 ** (MATCH_EQ_FLOOR_DB / 10);
  const ec = floor(sc);
  const es = floor(ss);
  // A silent input has no spectrum to match from or to: leave the content as it is.
  if (!(ec > 0 && es > 0)) return sc.map(() => 1);
  return sc.map((c, k) => Math.sqrt((ss[k] + es) / (c + ec)));
}

/**
 * The content's STFT through the match EQ (content phases kept).
 * @returns a new spectrogram of the content's shape
 */
export function matchEq(content: ComplexSpectrogram, style: ComplexSpectrogram): ComplexSpectrogram {
  const g = matchEqGains(content, style);
  const re = new Float32Array(content.re.length);
  const im = new Float32Array(content.im.length);
  for (let t = 0; t < content.frames; t++) {
    for (let k = 0; k < content.bins; k++) {
      const i = t * content.bins + k;
      re[i] = content.re[i] * g[k];
      im[i] = content.im[i] * g[k];
    }
  }
  return { frames: content.frames, bins: content.bins, re, im };
}
