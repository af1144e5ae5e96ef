/**
 * Note templates: what the content would sound like played by the style's instrument, to a
 * first order — the style's own notes moved to the content's pitches and note times. It is
 * the target of the `notes` loss term (ν) and a starting point (`init: "notes"`); the
 * other terms refine it.
 *
 * 1. Both signals are cut into notes (note-tracking.ts): onsets from spectral flux and, for
 *    legato lines, pitch changes; pitch by YIN; each note's peak, body, decay slope and the
 *    frame it is heard to end.
 * 2. Each content note takes the style note nearest in pitch that lasts long enough
 *    (note-selection.ts), and plays it from its attack: the style's attack lands on the
 *    content's note start. Past the style note's body its second half is read back and
 *    forth, falling at the instrument's own decay rate (read off its longest note): a
 *    struck instrument dies away, a bowed one holds.
 * 3. Every frame is moved to the content's pitch with its envelope in place (transpose.ts)
 *    and scaled so the note peaks at the content note's level (the content's dynamics stay;
 *    within a note, the style's own shape). The template falls silent two frames after the
 *    content note is heard to end.
 * 4. Splices are smoothed over a few frames within notes, never across a note start.
 */
import type { ComplexSpectrogram } from '../../dsp/stft';
import { notesOf, trackFrames, type FrameTrack } from '../../analysis/note-tracking';
import { pickStyleNote, styleFrameAt } from './note-selection';
import { transposeFrame, transposeScratch } from './transpose';

/** A signal as the template needs it: samples, STFT and the frames that sound. */
export interface TemplateInput {
  samples: Float32Array;
  spec: ComplexSpectrogram;
  sounding: readonly boolean[];
}

/** Gains of the frames after a content note is heard to end: −6 and −15 dB. */
const RELEASE_FADE = [0.5, 0.18];
/** Half-width (seconds) of the moving average that hides splices between style frames. */
const SPLICE_SMOOTHING_S = 0.023;
/** Floor of the log domain the smoothing works in, relative to the loudest magnitude (−100 dB). */
const LOG_FLOOR = 1e-5;

/**
 * The template's linear magnitude on the content's STFT frames (0 in its rests).
 * @returns frames × bins row-major, and the style frame used for each content frame (−1 where silent)
 */
export function noteTemplate(content: TemplateInput, style: TemplateInput, sampleRate: number, hop: number): { magnitude: Float32Array; source: Int32Array } {
  const F = content.spec.bins;
  const T = content.spec.frames;
  const c = trackFrames(content.samples, content.spec, sampleRate, hop, content.sounding, 'glide');
  const s = trackFrames(style.samples, style.spec, sampleRate, hop, style.sounding);
  const styleNotes = notesOf(s, sampleRate, hop);
  const magnitude = new Float32Array(T * F);
  const source = new Int32Array(T).fill(-1);
  if (!styleNotes.length) return { magnitude, source };
  const binHz = sampleRate / (2 * (F - 1));
  const levelDb = (u: number) => 20 * Math.log10(Math.max(s.level[u], 1e-12));
  // Short notes in a run show their attack's fall, not how the instrument holds.
  const longest = styleNotes.reduce((a, b) => (b.body - b.start > a.body - a.start ? b : a));
  const scratch = transposeScratch(F);
  const S = style.spec;
  for (const note of notesOf(c, sampleRate, hop)) {
    const { note: src, ratio } = pickStyleNote(note, styleNotes);
    for (let t = note.start; t < Math.min(note.end, note.offset + RELEASE_FADE.length); t++) {
      const at = styleFrameAt(src, t - note.start, levelDb, longest.slopeDb);
      const fade = t < note.offset ? 1 : RELEASE_FADE[t - note.offset];
      const gain = src.peak > 0 ? fade * (note.peak / src.peak) * 10 ** (at.gainDb / 20) : 0;
      const row = at.u * F;
      transposeFrame(S.re.subarray(row, row + F), S.im.subarray(row, row + F), gain, ratio, src.f0, binHz, scratch, magnitude.subarray(t * F, (t + 1) * F));
      source[t] = at.u;
    }
  }
  smoothWithinNotes(magnitude, F, c, Math.max(1, Math.round((SPLICE_SMOOTHING_S * sampleRate) / hop)));
  return { magnitude, source };
}

/**
 * A moving average of the log-magnitude over ±`w` frames, never across a content onset or
 * rest and not over a note's first frames: splices between style frames would otherwise read
 * as new notes (spectral flux), while the content's own note starts stay sharp.
 */
function smoothWithinNotes(magnitude: Float32Array, bins: number, c: FrameTrack, w: number): void {
  const T = c.f0.length;
  let peak = 0;
  for (const v of magnitude) peak = Math.max(peak, v);
  const floor = Math.max(peak, 1e-30) * LOG_FLOOR;
  const log = Float64Array.from(magnitude, (v) => Math.log(v + floor));
  for (let t = 0; t < T; t++) {
    if (!c.sounding[t] || c.sinceOnset[t] < w) continue;
    let lo = t;
    while (lo > t - w && lo > 0 && c.sounding[lo - 1] && c.sinceOnset[lo] > 0) lo--;
    let hi = t;
    while (hi < t + w && hi + 1 < T && c.sounding[hi + 1] && c.sinceOnset[hi + 1] > 0) hi++;
    for (let k = 0; k < bins; k++) {
      let acc = 0;
      for (let j = lo; j <= hi; j++) acc += log[j * bins + k];
      magnitude[t * bins + k] = Math.max(0, Math.exp(acc / (hi - lo + 1)) - floor);
    }
  }
}
