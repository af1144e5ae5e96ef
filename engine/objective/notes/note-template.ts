/**
 * Note templates: what the content would sound like played by the style's instrument, to a
 * first order — the style's own notes moved to the content's pitches and note times. It is
 * the target of the `notes` loss term (ν) and a starting point (`init: "notes"`); the
 * other terms refine it.
 *
 * 1. Both signals are cut into notes. A single line (or unpitched material: drums, speech)
 *    by the YIN tracker (note-tracking.ts): onsets from spectral flux and, for legato lines,
 *    pitch changes; pitch by YIN; each note's peak, body, decay slope and the frame it is
 *    heard to end. Music with several notes at once by the polyphonic transcriber
 *    (engine/analysis/transcribe.ts, passed in as note events; heard-notes.ts), each note with
 *    its own pitch curve and its own level read off its harmonics. The tracker is kept for
 *    single lines: it places legato changes and note ends more finely (note F1, onset within
 *    50 ms and pitch within 50 cents, over one melody on six FluidR3 instruments: 0.97 for the
 *    tracker, 0.85 for the transcriber), and a line it already renders well should not change.
 *    A single-line style keeps only the tracked notes the transcription hears at their pitch
 *    (confirmedByHearing): YIN's sub-octave slivers at legato joins would otherwise be the
 *    style's "low notes" and play a chord's bass an octave or more too high. A single-line
 *    content note the transcription does not hear at its pitch takes the pitch of the note
 *    starting there (pitchedByHearing): a sung leap's first frames read a twelfth low. A
 *    legato join is moved to the transcription's onset of the later note (timedByHearing):
 *    the tracker starts it once the pitch has left the old one, up to 100 ms late on a cello.
 * 2. Each content note takes the style note nearest in pitch that lasts long enough
 *    (note-selection.ts), and plays it from its attack: the style's attack lands on the
 *    content's note start. Past the style note's steady middle it is read back and
 *    forth, falling at the instrument's own decay rate (read off its longest note): a
 *    struck instrument dies away, a bowed one holds.
 * 3. Every frame is moved to the content's pitch at that frame (bends, vibrato and speech
 *    intonation follow) with its envelope in place (transpose.ts) and scaled so the note
 *    peaks at the content note's level (the content's dynamics stay; within a note, the
 *    style's own shape). The template falls silent two frames after the content note is
 *    heard to end. A note taken from a chordal style keeps only its own harmonics (a
 *    harmonic mask), and of a harmonic another chord note shares, only its expected share
 *    (chord-shares.ts), so the chord's other notes do not move along with it.
 * 3b. Notes sounding together are summed as powers, |M|² = Σ|Mᵢ|²: voices from independent
 *    notes add with unrelated phases, so the expected power of a partial two notes share is
 *    the sum of their powers (+3 dB for two equal partials), not the +6 dB of adding
 *    magnitudes, which would double the energy of every shared partial. A single line's
 *    notes never overlap, so for it the sum is the one note.
 * 4. Splices are smoothed over a few frames within notes, never across a note start.
 */
import type { ComplexSpectrogram } from '../../dsp/stft';
import type { NoteEvent } from '../../../common/notes';
import { notesOf, trackFrames, type Note } from '../../analysis/note-tracking';
import { confirmedByHearing, fundamentalLevel, heardNotes, isPolyphonic, pitchedByHearing, timedByHearing, type HeardNote } from './heard-notes';
import { pickStyleNote, registers, styleFrameAt, sustainSpan } from './note-selection';
import { transposeFrame, transposeScratch } from './transpose';
import { chordShares, type ChordNote } from './chord-shares';
import { samplesKey } from '../../dsp/samples-key';

/** A signal as the template needs it: samples, STFT and the frames that sound. */
export interface TemplateInput {
  samples: Float32Array;
  spec: ComplexSpectrogram;
  sounding: readonly boolean[];
  /** Its transcribed notes (seconds from its start), when the transcriber ran; a polyphonic transcription is used instead of the YIN tracker. */
  heard?: readonly NoteEvent[];
}

/** Gains of the frames after a content note is heard to end: −6 and −15 dB. */
const RELEASE_FADE = [0.5, 0.18];
/** Half-width (seconds) of the moving average that hides splices between style frames. */
const SPLICE_SMOOTHING_S = 0.023;
/** Floor of the log domain the smoothing works in, relative to the loudest magnitude (−100 dB). */
const LOG_FLOOR = 1e-5;
/**
 * Power a note taken out of a chord keeps between its harmonics (−25 dB): the rest is the
 * chord's other notes. At −20 dB a louder chord note under the one taken (a bass under a
 * melody note) still came along loud enough to be heard as a pitch of its own in the take.
 */
const CHORD_KEEP = 0.003;
/** A content frame's pitch (YIN) is followed within this many cents of its note's; beyond, it is a tracking slip. */
const FOLLOW_CENTS = 150;
/** Style notes peaking this far below the style's loudest (−30 dB) are not played. */
const QUIET_NOTE = 10 ** (-30 / 20);
/** Seconds of a note's attack whose brightness places an unpitched note in its register. */
const ATTACK_S = 0.05;

/** A content note as the template plays it: frames [note.start, stop), released from `offset`, at `pitchAt(t)` Hz. */
interface Voice {
  note: Note;
  offset: number;
  stop: number;
  pitchAt: (t: number) => number;
}

const cents = (a: number, b: number) => 1200 * Math.log2(a / b);

/**
 * The content's voices: the transcription's notes when it heard several at once, else the
 * YIN tracker's notes, following its pitch frame by frame.
 */
function contentVoices(content: TemplateInput, sampleRate: number, hop: number): { voices: Voice[]; onsets: Int32Array; chordal: boolean } {
  const T = content.spec.frames;
  if (content.heard && isPolyphonic(content.heard)) {
    const notes = heardNotes(content.heard, content.spec, sampleRate, hop);
    const onsets = new Int32Array(T);
    for (const n of notes) onsets[n.start] = 1;
    return {
      voices: notes.map((n) => {
        // Released where the note is heard to end: the transcription's end, or sooner where
        // its level at its fundamental has fallen 30 dB below its peak or falls suddenly
        // (noteShape's offset) — the network goes on hearing a struck string that rings far
        // below its attack, and a held style note would sound at full level all that time.
        const offset = Math.max(n.start + 1, Math.min(n.end, n.offset));
        return { note: n, offset, stop: Math.min(T, offset + RELEASE_FADE.length), pitchAt: (t: number) => n.pitch[Math.min(n.pitch.length - 1, t - n.start)] };
      }),
      onsets,
      chordal: true,
    };
  }
  const c = trackFrames(content.samples, content.spec, sampleRate, hop, content.sounding, 'glide');
  const onsets = Int32Array.from(c.sinceOnset, (v) => (v === 0 ? 1 : 0));
  const tracked = notesOf(c, sampleRate, hop);
  const notes = content.heard ? timedByHearing(pitchedByHearing(tracked, content.heard, sampleRate, hop), content.heard, c.level, sampleRate, hop) : tracked;
  // A join the transcription moved starts a note where it now lies (smoothing never crosses it).
  for (const n of notes) onsets[n.start] = 1;
  const voices = notes.map((n) => ({
    note: n,
    offset: n.offset,
    stop: Math.min(n.end, n.offset + RELEASE_FADE.length),
    pitchAt: (t: number) => (Number.isFinite(c.f0[t]) && Math.abs(cents(c.f0[t], n.f0)) < FOLLOW_CENTS ? c.f0[t] : n.f0),
  }));
  return { voices, onsets, chordal: false };
}

/** The median level (dB) of a style note's steady middle, the part read back and forth past its body. */
function heldLevelDb(src: Note, levelDb: (u: number) => number): number {
  const { from, to } = sustainSpan(src);
  const v: number[] = [];
  for (let u = from; u < to; u++) v.push(levelDb(u));
  v.sort((a, b) => a - b);
  return v.length ? v[v.length >> 1] : levelDb(src.body - 1);
}

/** The style's notes, each with its level in dB at a frame, and the power a note keeps between its harmonics. */
interface StyleNotes {
  notes: readonly Note[];
  levelDb: (n: Note, u: number) => number;
  keep?: number;
  /** A chordal style's notes sounding at each of its frames (their partials are shared, see chord-shares.ts). */
  byFrame?: readonly HeardNote[][];
}

/**
 * The last styles' notes, by their samples' bits: every segment of a long or streamed render
 * plays from the same style sample, and the next render of the same style file decodes to
 * the same samples; tracking them is the largest part of a segment's analysis (0.3 CPU s for
 * the 6 s demo style, seconds for a minute of style).
 */
const styleNotesKept = new Map<string, { heard: TemplateInput['heard']; notes: StyleNotes }>();
/** Styles whose notes are kept. */
const STYLES_KEPT = 2;

/** `styleNotes`, kept for the same samples, rate, hop, STFT size and transcription. */
function styleNotesOnce(style: TemplateInput, sampleRate: number, hop: number): StyleNotes {
  const key = `${samplesKey(style.samples, sampleRate)}:${hop}:${style.spec.bins}`;
  const hit = styleNotesKept.get(key);
  if (hit && hit.heard === style.heard) return hit.notes;
  const notes = styleNotes(style, sampleRate, hop);
  styleNotesKept.delete(key);
  styleNotesKept.set(key, { heard: style.heard, notes });
  while (styleNotesKept.size > STYLES_KEPT) styleNotesKept.delete(styleNotesKept.keys().next().value as string);
  return notes;
}

/** Track the style's notes now, so that the next note template of this style finds them kept (a render readied ahead, engine/render/warm.ts). */
export function trackStyleAhead(style: TemplateInput, sampleRate: number, hop: number): void {
  styleNotesOnce(style, sampleRate, hop);
}

function styleNotes(style: TemplateInput, sampleRate: number, hop: number): StyleNotes {
  const db = (v: number) => 20 * Math.log10(Math.max(v, 1e-12));
  if (style.heard && isPolyphonic(style.heard)) {
    const notes = heardNotes(style.heard, style.spec, sampleRate, hop);
    const byFrame: HeardNote[][] = Array.from({ length: style.spec.frames }, () => []);
    for (const n of notes) for (let u = n.start; u < n.end; u++) byFrame[u].push(n);
    return { notes, levelDb: (n, u) => db((n as HeardNote).level[Math.min(u - n.start, (n as HeardNote).level.length - 1)]), keep: CHORD_KEEP, byFrame };
  }
  const s = trackFrames(style.samples, style.spec, sampleRate, hop, style.sounding);
  const notes = notesOf(s, sampleRate, hop);
  return { notes: style.heard ? confirmedByHearing(notes, style.heard, sampleRate, hop) : notes, levelDb: (_n, u) => db(s.level[u]) };
}

/**
 * The template's linear magnitude on the content's STFT frames (0 in its rests).
 * @returns frames × bins row-major, and the style frame used for each content frame (the loudest voice's; −1 where silent)
 */
export function noteTemplate(content: TemplateInput, style: TemplateInput, sampleRate: number, hop: number): { magnitude: Float32Array; source: Int32Array } {
  const F = content.spec.bins;
  const T = content.spec.frames;
  const { voices, onsets, chordal } = contentVoices(content, sampleRate, hop);
  const tracked = styleNotesOnce(style, sampleRate, hop);
  const magnitude = new Float32Array(T * F);
  const source = new Int32Array(T).fill(-1);
  // A faint note (a tail, a tracking slip in a rest) would be raised by tens of dB to the
  // content's level, noise and all.
  const loudestStyle = Math.max(0, ...tracked.notes.map((n) => n.peak));
  const st = { ...tracked, notes: tracked.notes.filter((n) => n.peak >= loudestStyle * QUIET_NOTE) };
  if (!st.notes.length) return { magnitude, source };
  const binHz = sampleRate / (2 * (F - 1));
  // Short notes in a run show their attack's fall, not how the instrument holds.
  const longest = st.notes.reduce((a, b) => (b.body - b.start > a.body - a.start ? b : a));
  const attack = Math.max(1, Math.round((ATTACK_S * sampleRate) / hop));
  const contentRegister = registers(
    voices.map((v) => v.note),
    content.spec,
    attack,
  );
  const styleRegister = registers(st.notes, style.spec, attack);
  const register = (n: Note) => contentRegister.get(n) ?? styleRegister.get(n) ?? 0.5;
  // A chord's notes are measured at their fundamentals (heard-notes.ts): so are the style's.
  const peakAtFundamental = (n: Note) => {
    if (!Number.isFinite(n.f0)) return n.peak;
    let p = 0;
    for (let u = n.start; u < n.body; u++) p = Math.max(p, fundamentalLevel(style.spec, u, n.f0, binHz));
    return p;
  };
  const scratch = transposeScratch(F);
  const row = new Float32Array(F);
  const shares = st.byFrame && new Float64Array(F);
  // The style note `src` at its frame u, and the other style notes sounding there.
  const chordAt = (src: Note, u: number): [ChordNote, ChordNote[]] => {
    const at = (n: HeardNote): ChordNote => ({ f0: n.pitch[Math.min(u - n.start, n.pitch.length - 1)], level: n.level[Math.min(u - n.start, n.level.length - 1)] });
    return [at(src as HeardNote), (st.byFrame?.[u] ?? []).filter((m) => m !== src).map(at)];
  };
  const loudest = new Float64Array(T);
  const S = style.spec;
  for (const { note, offset, stop, pitchAt } of voices) {
    const { note: src } = pickStyleNote(note, st.notes, register);
    const pitched = Number.isFinite(note.f0) && Number.isFinite(src.f0);
    const levelDb = (u: number) => st.levelDb(src, u);
    // In a chord every voice must fade alike past its style note's body, or the chord's
    // balance would depend on where each style note happened to end: the fall continues
    // from the level the note held over its steady middle, not from its last frame.
    const anchor = chordal ? heldLevelDb(src, levelDb) : undefined;
    const srcPeak = chordal ? peakAtFundamental(src) : src.peak;
    for (let t = note.start; t < stop; t++) {
      const at = styleFrameAt(src, t - note.start, levelDb, longest.slopeDb, anchor);
      const fade = t < offset ? 1 : RELEASE_FADE[t - offset];
      const gain = srcPeak > 0 ? fade * (note.peak / srcPeak) * 10 ** (at.gainDb / 20) : 0;
      const r = at.u * F;
      if (shares) chordShares(...chordAt(src, at.u), binHz, shares);
      transposeFrame(S.re.subarray(r, r + F), S.im.subarray(r, r + F), gain, pitched ? pitchAt(t) / src.f0 : 1, src.f0, binHz, scratch, row, st.keep, shares);
      const out = magnitude.subarray(t * F, (t + 1) * F);
      for (let k = 0; k < F; k++) out[k] = Math.sqrt(out[k] * out[k] + row[k] * row[k]);
      if (gain > loudest[t]) [loudest[t], source[t]] = [gain, at.u];
    }
  }
  smoothWithinNotes(magnitude, F, content.sounding, onsets, Math.max(1, Math.round((SPLICE_SMOOTHING_S * sampleRate) / hop)));
  return { magnitude, source };
}

/**
 * A moving average of the log-magnitude over ±`w` frames, never across a content onset or
 * rest and not over a note's first frames: splices between style frames would otherwise read
 * as new notes (spectral flux), while the content's own note starts stay sharp.
 */
function smoothWithinNotes(magnitude: Float32Array, bins: number, sounding: readonly boolean[], onsets: Int32Array, w: number): void {
  const T = onsets.length;
  // Frames since the last onset or the start of sound.
  const since = new Int32Array(T);
  for (let t = 0; t < T; t++) since[t] = !sounding[t] || onsets[t] || t === 0 || !sounding[t - 1] ? 0 : since[t - 1] + 1;
  let peak = 0;
  for (const v of magnitude) peak = Math.max(peak, v);
  const floor = Math.max(peak, 1e-30) * LOG_FLOOR;
  const log = Float64Array.from(magnitude, (v) => Math.log(v + floor));
  for (let t = 0; t < T; t++) {
    if (!sounding[t] || since[t] < w) continue;
    let lo = t;
    while (lo > t - w && lo > 0 && sounding[lo - 1] && since[lo] > 0) lo--;
    let hi = t;
    while (hi < t + w && hi + 1 < T && sounding[hi + 1] && since[hi + 1] > 0) hi++;
    for (let k = 0; k < bins; k++) {
      let acc = 0;
      for (let j = lo; j <= hi; j++) acc += log[j * bins + k];
      magnitude[t * bins + k] = Math.max(0, Math.exp(acc / (hi - lo + 1)) - floor);
    }
  }
}
