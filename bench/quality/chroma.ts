/**
 * Chroma similarity: does the take hold the truth's harmony, moment by moment, whatever
 * instrument voices it?
 */
import { binHz, type PitchSpectrogram } from './pitch-spectrogram';

/** Bins from CHROMA_BAND.loHz to CHROMA_BAND.hiHz count toward the chroma. */
export const CHROMA_BAND = { loHz: 50, hiHz: 5000 } as const;
/** A frame is silent when its chroma sum is below this fraction of the signal's loudest frame's (−40 dB). */
export const CHROMA_SILENCE = 0.01;

/**
 * 12-bin chroma per frame: C[t][c] = Σ |X[t,k]| over the bins k between 50 Hz and 5 kHz
 * whose nearest equal-tempered pitch, round(69 + 12·log2(f_k / 440)), has pitch class c
 * (0 = C). Magnitudes, not powers, so that upper partials and quieter voices still count.
 * @returns frames × 12, row-major
 */
export function chromagram(s: PitchSpectrogram): Float64Array {
  const cls = new Int8Array(s.bins).fill(-1);
  for (let k = 1; k < s.bins; k++) {
    const f = binHz(k);
    if (f >= CHROMA_BAND.loHz && f <= CHROMA_BAND.hiHz) cls[k] = (((Math.round(69 + 12 * Math.log2(f / 440)) % 12) + 12) % 12) as number;
  }
  const out = new Float64Array(s.frames * 12);
  for (let t = 0; t < s.frames; t++) {
    const row = t * s.bins;
    for (let k = 0; k < s.bins; k++) if (cls[k] >= 0) out[t * 12 + cls[k]] += s.magnitude[row + k];
  }
  return out;
}

/** Per frame: is it above the silence threshold (CHROMA_SILENCE of the loudest frame's chroma sum)? */
function sounding(chroma: Float64Array, frames: number): boolean[] {
  const sums = Array.from({ length: frames }, (_, t) => chroma.subarray(t * 12, t * 12 + 12).reduce((a, b) => a + b, 0));
  const loudest = Math.max(0, ...sums);
  return sums.map((v) => loudest > 0 && v >= loudest * CHROMA_SILENCE);
}

/**
 * Chroma similarity, 0…1: the mean over the frames where the take or the truth sounds (its
 * chroma sum is at least 1/100 of that signal's loudest frame's) of the cosine between
 * the two frames' 12-bin chromas (`chromagram`); a silent frame's chroma counts as the zero
 * vector, so a frame where only one of them sounds scores 0. 1 = the same pitch classes in
 * the same proportions at every moment; octave and instrument do not count, only the
 * balance of pitch classes (an instrument's upper partials add their fifths and thirds, so
 * two instruments playing the same notes score somewhat below 1). Gain-independent. 1 when
 * neither ever sounds.
 * @throws Error when the spectrograms differ in frame count (signals of different lengths)
 */
export function chromaSimilarity(take: PitchSpectrogram, truth: PitchSpectrogram): number {
  if (take.frames !== truth.frames || take.bins !== truth.bins) throw new Error(`cannot compare chromas of ${take.frames} and ${truth.frames} frames: the signals must have the same length`);
  const a = chromagram(take);
  const b = chromagram(truth);
  const onA = sounding(a, take.frames);
  const onB = sounding(b, truth.frames);
  let sum = 0;
  let n = 0;
  for (let t = 0; t < take.frames; t++) {
    if (!onA[t] && !onB[t]) continue;
    n++;
    if (!onA[t] || !onB[t]) continue;
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let c = 0; c < 12; c++) {
      const x = a[t * 12 + c];
      const y = b[t * 12 + c];
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    sum += dot / Math.sqrt(na * nb);
  }
  return n ? sum / n : 1;
}
