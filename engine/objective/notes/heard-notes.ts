/**
 * Transcribed note events (engine/analysis/transcribe.ts) as the note template's notes: on
 * the STFT's frames, with a pitch per frame (the note's bend curve), and a level per frame
 * read at the note's own fundamental, so that in a chord each note has its own loudness and
 * its own attack, body and decay.
 */
import { GramophoneError } from '../../../common/errors';
import type { ComplexSpectrogram } from '../../dsp/stft';
import { transcribe } from '../../analysis/transcribe';
import { midiToHz, NOTE_BEND_RATE_HZ, type NoteEvent } from '../../../common/notes';
import { noteShape, suddenFallFrames, type Note } from '../../analysis/note-tracking';

/** A note of a transcription on the STFT frames. */
export interface HeardNote extends Note {
  /** Pitch in Hz per frame from `start` (length end − start): the note's pitch moved by its bend. */
  pitch: Float64Array;
  /** Level per frame from `start`: see `fundamentalLevel`. */
  level: Float64Array;
}

/**
 * Share of the sounding time with two notes or more at once above which a signal may be
 * polyphonic. A single line's notes overlap only at their joins (a release under the next
 * attack), well under this.
 */
const POLYPHONIC_SHARE = 0.2;
/**
 * A chord's notes sound together and a held voice sounds under a moving one: in both, notes
 * lie within another note. A single line whose notes ring on (a let-ring guitar run, a
 * marimba, a choir's reverberant legato) overlaps heavily, but each note only in part. The
 * signal is polyphonic when notes lying within another make up at least COVERED_SHARE of all
 * notes' time (duration-weighted), or sound over at least COVERED_TIME of the sounding time.
 * Measured on the transcriptions of the quality benchmark's dev set: single lines reach at
 * most 0.46 and 0.62, every chordal or two-voice piece at least 0.50 or 0.82.
 */
const COVERED_SHARE = 0.48;
const COVERED_TIME = 0.8;
/** A note lies within another when at least this share of it does. */
const COVERED_PART = 0.8;
/** How near its fundamental a bin must be to give a note's level (fraction of the frequency, ±3 % ≈ ±half a semitone). */
const FUNDAMENTAL_SPAN = 0.03;
/** Median filter over the bend curve, in bend samples each side: the first frames of an attack swing wildly. */
const BEND_MEDIAN = 2;
/** A bend is held within ±2 semitones: the contour beyond that is a neighbouring note. */
const BEND_LIMIT = 2;

/**
 * Whether a transcription is of several voices: notes overlap for more than POLYPHONIC_SHARE
 * of the time that any sounds, and notes lying within another note are common enough (see
 * COVERED_SHARE). Time is counted in 10 ms steps.
 */
export function isPolyphonic(events: readonly NoteEvent[]): boolean {
  const step = 0.01;
  const end = Math.max(0, ...events.map((e) => e.offsetS));
  const count = new Uint16Array(Math.ceil(end / step) + 1);
  const within = new Uint8Array(count.length);
  const steps = (e: NoteEvent) => [Math.round(e.onsetS / step), Math.round(e.offsetS / step)] as const;
  let noteTime = 0;
  let withinTime = 0;
  for (const e of events) {
    const [a, b] = steps(e);
    for (let i = a; i < b; i++) count[i]++;
    const d = e.offsetS - e.onsetS;
    noteTime += d;
    if (events.some((m) => m !== e && Math.min(m.offsetS, e.offsetS) - Math.max(m.onsetS, e.onsetS) >= COVERED_PART * d)) {
      withinTime += d;
      within.fill(1, a, b);
    }
  }
  let one = 0;
  let more = 0;
  let covered = 0;
  count.forEach((c, i) => {
    if (c >= 1) one++;
    if (c >= 2) more++;
    if (c >= 1 && within[i]) covered++;
  });
  if (!(one > 0 && more / one > POLYPHONIC_SHARE)) return false;
  return withinTime / noteTime >= COVERED_SHARE || covered / one >= COVERED_TIME;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : 0;
}

/** The bend curve, median-filtered and limited, read at time `s` seconds after the onset (semitones). */
function bendReader(bend: readonly number[]): (s: number) => number {
  const smooth = bend.map((_b, i) => Math.max(-BEND_LIMIT, Math.min(BEND_LIMIT, median(bend.slice(Math.max(0, i - BEND_MEDIAN), i + BEND_MEDIAN + 1)))));
  return (s) => {
    if (!smooth.length) return 0;
    const i = Math.max(0, Math.min(smooth.length - 1, s * NOTE_BEND_RATE_HZ));
    const j = Math.floor(i);
    const f = i - j;
    return j + 1 < smooth.length ? (1 - f) * smooth[j] + f * smooth[j + 1] : smooth[j];
  };
}

/**
 * A note's level at frame t: the largest magnitude within FUNDAMENTAL_SPAN of its fundamental
 * `f0` (Hz). In a chord the fundamentals of different notes lie in different bins while
 * upper partials coincide (C4's third harmonic is G4's second), so the fundamental is what
 * tells each note's loudness apart; the style's notes are measured the same way so that a
 * voice's gain keeps the chord's balance.
 * @param spec frames × bins
 */
export function fundamentalLevel(spec: ComplexSpectrogram, t: number, f0: number, binHz: number): number {
  const lo = Math.max(0, Math.floor((f0 * (1 - FUNDAMENTAL_SPAN)) / binHz));
  const hi = Math.min(spec.bins - 1, Math.ceil((f0 * (1 + FUNDAMENTAL_SPAN)) / binHz));
  let m = 0;
  for (let k = lo; k <= hi; k++) {
    const i = t * spec.bins + k;
    m = Math.max(m, spec.re[i] * spec.re[i] + spec.im[i] * spec.im[i]);
  }
  return Math.sqrt(m);
}

/** A transcribed note confirms a tracked note's pitch within this many semitones (an instrument tuned a little off, a bend). */
const CONFIRM_SEMITONES = 1;
/** Seconds a transcribed note may lie beside a tracked note and still overlap it (their onsets are placed differently). */
const CONFIRM_SLACK_S = 0.03;
/** Below this share of its pitched notes confirmed, the transcription is taken not to hear the instrument at all. */
const CONFIRMED_SHARE = 0.5;

const midiOf = (hz: number) => 69 + 12 * Math.log2(hz / 440);

/**
 * How the transcription hears each tracked note: whether some transcribed note overlapping
 * it in time lies within CONFIRM_SEMITONES of its f0, and the overlapping transcribed note
 * that starts last (the note sounding newest there). `trusted` is false when fewer than CONFIRMED_SHARE of the pitched notes are
 * confirmed: the transcription does not hear this instrument, and the tracker stands.
 */
function hearing(notes: readonly Note[], events: readonly NoteEvent[], sampleRate: number, hop: number): { confirmed: boolean[]; newest: (NoteEvent | undefined)[]; trusted: boolean } {
  const confirmed: boolean[] = [];
  const newest: (NoteEvent | undefined)[] = [];
  for (const n of notes) {
    const from = (n.start * hop) / sampleRate;
    const to = (n.end * hop) / sampleRate;
    const over = events.filter((e) => e.onsetS < to + CONFIRM_SLACK_S && e.offsetS > from - CONFIRM_SLACK_S);
    confirmed.push(Number.isFinite(n.f0) && over.some((e) => Math.abs(e.midi - midiOf(n.f0)) <= CONFIRM_SEMITONES));
    newest.push(over.reduce<NoteEvent | undefined>((a, e) => (!a || e.onsetS > a.onsetS ? e : a), undefined));
  }
  const pitched = notes.filter((n) => Number.isFinite(n.f0)).length;
  return { confirmed, newest, trusted: confirmed.filter(Boolean).length >= CONFIRMED_SHARE * pitched };
}

/**
 * The tracked notes of a single line (note-tracking.ts) that the transcription also hears at
 * their pitch (see `hearing`). At a legato join YIN can read a few frames of the new note at
 * a fraction of its pitch (a cello's F4 read as F3, a bowed F#4 as B2); as a note of its own,
 * that sliver is the only low note of the style, so a low content note takes it and plays
 * the higher note's partials moved by the wrong ratio — an octave or more above the content.
 * The transcriber hears pitch from all the partials and does not make that error. Unpitched
 * notes pass (a drum has no pitch to confirm); with an untrusted transcription all are kept.
 * @param notes on frames of `hop` samples at `sampleRate`
 * @param events the same signal's transcription (seconds)
 */
export function confirmedByHearing<N extends Note>(notes: readonly N[], events: readonly NoteEvent[], sampleRate: number, hop: number): N[] {
  const h = hearing(notes, events, sampleRate, hop);
  if (!h.trusted) return [...notes];
  return notes.filter((n, i) => !Number.isFinite(n.f0) || h.confirmed[i]);
}

/**
 * A single line's tracked notes with the pitches the transcription hears: a pitched note it
 * does not confirm (see `hearing`) takes the pitch of the newest transcribed note overlapping
 * it, and joins the tracked note before or after it when that one then has the same
 * pitch (within CONFIRM_SEMITONES) and touches it. A sung leap makes YIN read the first
 * frames of the new note an octave or a twelfth low (the choir's "aah" at a note start): such
 * a sliver belongs to the note starting there, not to the one it follows. As notes of their
 * own, those slivers were played at the wrong pitch, and each started a note.
 * Unpitched notes, notes nothing overlaps and an untrusted transcription leave the notes as
 * they are.
 * @returns new notes (the input is not changed), in order
 */
export function pitchedByHearing(notes: readonly Note[], events: readonly NoteEvent[], sampleRate: number, hop: number): Note[] {
  const h = hearing(notes, events, sampleRate, hop);
  if (!h.trusted) return [...notes];
  const out: Note[] = [];
  const same = (a: Note, b: Note) => Math.abs(midiOf(a.f0) - midiOf(b.f0)) <= CONFIRM_SEMITONES;
  const wrong = notes.map((n, i) => Number.isFinite(n.f0) && !h.confirmed[i] && h.newest[i] !== undefined);
  const fixed = notes.map((n, i) => (wrong[i] ? { ...n, f0: midiToHz(h.newest[i]!.midi) } : n));
  for (let i = 0; i < fixed.length; i++) {
    const n = fixed[i];
    const next = fixed[i + 1];
    const prev = out[out.length - 1];
    if (!wrong[i]) out.push(n);
    else if (next && next.start <= n.end && same(n, next)) fixed[i + 1] = { ...next, start: n.start, peak: Math.max(n.peak, next.peak) };
    else if (prev && prev.end >= n.start && same(prev, n))
      out[out.length - 1] = { ...prev, end: n.end, body: Math.max(prev.body, n.body), offset: Math.max(prev.offset, n.offset), peak: Math.max(prev.peak, n.peak) };
    else out.push(n);
  }
  return out;
}

/**
 * Seconds before a tracked legato note's start within which a transcribed onset at its pitch
 * places that start. The tracker starts a legato note once its pitch has left the old one
 * (the middle of a glide, past a bow change's dip): on a FluidR3 cello waltz 35–105 ms after
 * the note-on, where the transcriber's onsets were within 12 ms of every one. It is never
 * early by much, and where it places a plucked or tongued attack by its energy it is right:
 * those starts stay (moved later, to the transcriber's onsets 10–45 ms behind a guitar's
 * attacks, the take's repeated notes lost theirs).
 */
const ONSET_SNAP_S = 0.12;
/** Frames each of the two notes at a moved join keeps at least. */
const MIN_SNAPPED_FRAMES = 2;

/**
 * A single line's tracked notes with their legato joins moved earlier, to where the
 * transcription hears the later note start: the onset, up to ONSET_SNAP_S before the
 * tracked start, of a transcribed note at its pitch (the nearest MIDI note: a semitone's
 * slack took a flute run's previous note's onset for the next one's). Only joins between
 * two pitches move; a note after a rest starts where it sounds, a repeated pitch where the
 * tracker heard it change. The later note's shape (peak, body, offset, slope) is read again
 * off `level` from its new start; the earlier one ends there, its body and offset no later.
 * An untrusted transcription (see `hearing`) moves nothing.
 * @param level the track's level per frame (FrameTrack.level)
 * @returns new notes (the input is not changed), in order
 */
export function timedByHearing(notes: readonly Note[], events: readonly NoteEvent[], level: Float64Array, sampleRate: number, hop: number): Note[] {
  const out = notes.map((n) => ({ ...n }));
  if (!hearing(notes, events, sampleRate, hop).trusted) return out;
  const sudden = suddenFallFrames(sampleRate, hop);
  for (let i = 1; i < out.length; i++) {
    const prev = out[i - 1];
    const n = out[i];
    if (prev.end !== n.start || !Number.isFinite(n.f0)) continue;
    const at = (n.start * hop) / sampleRate;
    const pitch = Math.round(midiOf(n.f0));
    // A repeated pitch (a bow change) has no onset of its own to tell from the last note's.
    if (Number.isFinite(prev.f0) && Math.round(midiOf(prev.f0)) === pitch) continue;
    let best: number | undefined;
    for (const e of events) {
      if (e.midi !== pitch || e.onsetS > at || e.onsetS < at - ONSET_SNAP_S) continue;
      if (best === undefined || e.onsetS > best) best = e.onsetS;
    }
    if (best === undefined) continue;
    const start = Math.round((best * sampleRate) / hop);
    if (start >= n.start || start < prev.start + MIN_SNAPPED_FRAMES) continue;
    out[i - 1] = { ...prev, end: start, body: Math.min(prev.body, start), offset: Math.min(prev.offset, start) };
    out[i] = { ...n, start, ...noteShape(level, start, n.end, sudden) };
  }
  return out;
}

/**
 * The notes of a transcription on the frames of `spec` (hop `hop` at `sampleRate`).
 * A note spans frames [start, end) from its onset to its offset; its pitch is its MIDI pitch
 * moved by its bend, its `f0` the median of that.
 */
export function heardNotes(events: readonly NoteEvent[], spec: ComplexSpectrogram, sampleRate: number, hop: number): HeardNote[] {
  const T = spec.frames;
  const F = spec.bins;
  const binHz = sampleRate / (2 * (F - 1));
  const sudden = suddenFallFrames(sampleRate, hop);
  const notes: HeardNote[] = [];
  for (const e of events) {
    const start = Math.max(0, Math.round((e.onsetS * sampleRate) / hop));
    const end = Math.min(T, Math.round((e.offsetS * sampleRate) / hop));
    if (end - start < 2) continue;
    const bendAt = bendReader(e.bend);
    const pitch = Float64Array.from({ length: end - start }, (_v, i) => midiToHz(e.midi + bendAt(((start + i) * hop) / sampleRate - e.onsetS)));
    const level = new Float64Array(T);
    for (let t = start; t < end; t++) level[t] = fundamentalLevel(spec, t, pitch[t - start], binHz);
    notes.push({ start, end, f0: median(Array.from(pitch)), ...noteShape(level, start, end, sudden), pitch, level: level.slice(start, end) });
  }
  return notes;
}

/**
 * Transcribe the content and the style for their note templates. A transcriber that cannot
 * run (its model missing or damaged) is not fatal here: the template falls back to the YIN
 * tracker for both and the reason is added to `warnings`.
 * @param onProgress fraction of both transcriptions done, 0–1
 * @throws GramophoneError CANCELLED when `isCancelled` turns true between windows
 */
export async function hearBoth(
  content: Float32Array,
  style: Float32Array,
  sampleRate: number,
  warnings: string[],
  onProgress?: (fraction: number) => void,
  isCancelled?: () => boolean,
): Promise<{ content?: NoteEvent[]; style?: NoteEvent[] }> {
  const controller = new AbortController();
  const progress = (base: number) => (f: number) => {
    if (isCancelled?.()) controller.abort();
    onProgress?.((base ? content.length + f * style.length : f * content.length) / (content.length + style.length));
  };
  try {
    const c = await transcribe(content, sampleRate, { onProgress: progress(0), signal: controller.signal });
    const s = await transcribe(style, sampleRate, { onProgress: progress(1), signal: controller.signal });
    return { content: c.notes, style: s.notes };
  } catch (e) {
    if (e instanceof GramophoneError && e.code !== 'CANCELLED') {
      warnings.push(`Notes were tracked one at a time: ${e.message}`);
      return {};
    }
    throw e;
  }
}
