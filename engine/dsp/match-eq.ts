/**
 * A match EQ: the content filtered so its long-term spectrum takes the style's shape. The
 * benchmark's baseline and the `matchEq` initialisation of the optimiser.
 *
 * gain[k] = √(S̃s[k] / S̃c[k]) where S is the mean power over frames of each STFT bin and ~
 * smooths it over a third of an octave around the bin (at least ±1 bin), limited to
 * ±40 dB so a bin one input lacks is not boosted into noise. Phases are the content's.
 */
import type { ComplexSpectrogram } from './stft';

/** Largest boost or cut, in dB. */
export const MATCH_EQ_LIMIT_DB = 40;

/** Mean power over frames per bin, float64. */
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

/** The average of p over a third of an octave around each bin (bins k·2^(±1/6), at least k ± 1). */
export function thirdOctaveSmooth(p: Float64Array): Float64Array {
  const out = new Float64Array(p.length);
  const prefix = new Float64Array(p.length + 1);
  for (let k = 0; k < p.length; k++) prefix[k + 1] = prefix[k] + p[k];
  for (let k = 0; k < p.length; k++) {
    const lo = Math.max(0, Math.min(k - 1, Math.floor(k * 2 ** (-1 / 6))));
    const hi = Math.min(p.length - 1, Math.max(k + 1, Math.ceil(k * 2 ** (1 / 6))));
    out[k] = (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
  }
  return out;
}

/**
 * The per-bin gains of the match EQ from `content` towards `style` (both STFTs of the same
 * nFft).
 * @returns bins gains (linear amplitude)
 */
export function matchEqGains(content: ComplexSpectrogram, style: ComplexSpectrogram): Float64Array {
  const pc = thirdOctaveSmooth(meanPower(content));
  const ps = thirdOctaveSmooth(meanPower(style));
  const limit = 10 ** (MATCH_EQ_LIMIT_DB / 20);
  return pc.map((c, k) => (c > 0 ? Math.min(limit, Math.max(1 / limit, Math.sqrt(ps[k] / c))) : 1));
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
