/**
 * A signal cut into notes, on the frames of its STFT: per-frame pitch (YIN), onsets
 * (spectral flux, and pitch changes for legato lines), levels; then notes between onsets
 * with their pitch, peak, body, decay slope and the frame a listener hears them end.
 *
 * Durations are in seconds and turned into frames for the STFT's hop, so a preset's
 * analysis settings do not change what counts as a note.
 */
import type { ComplexSpectrogram } from '../dsp/stft';
import { detectOnsets } from './onsets';
import { yin } from './pitch';

/**
 * Where a legato note (a pitch change without an attack) begins. 'glide': where the pitch
 * starts moving towards the new note — where a listener hears the change begin, which is
 * what a take must follow in the content. 'departure': where it is clearly away from the old
 * pitch — the start of a style note whose frames a template plays, so the template does not
 * open with the glide out of the note before.
 */
export type LegatoStart = 'glide' | 'departure';

/** Per-frame description of a signal. */
export interface FrameTrack {
  /** f0 in Hz per frame (NaN: unpitched or silent), median-filtered. */
  f0: Float64Array;
  /** Frames since the last onset (0 at an onset, or where sound begins after a rest). */
  sinceOnset: Int32Array;
  /** Peak magnitude of each frame. */
  level: Float64Array;
  /** Whether the frame sounds (the render's rest rule). */
  sounding: readonly boolean[];
}

/** A note: frames [start, end) between onsets. */
export interface Note {
  start: number;
  end: number;
  /** Median f0 in Hz, NaN if fewer than a third of its frames have one. */
  f0: number;
  /** Peak magnitude. */
  peak: number;
  /** End of its body: frames from here on are its release (15 dB or more below its peak). */
  body: number;
  /** Where it ends for a listener: 30 dB below its peak, or the start of a sudden fall (a damped string). */
  offset: number;
  /** How fast it dies away over its body after the peak, dB per frame (≤ 0): about 0 held, negative struck. */
  slopeDb: number;
}

/** Seconds: YIN's window; the median filter's half-width; a pitch change must hold this long. */
const YIN_WINDOW_S = 0.046;
const MEDIAN_S = 0.023;
const PITCH_HOLD_S = 0.023;
/** A pitch change counts beyond this many cents from the note's pitch so far. */
const PITCH_STEP_CENTS = 70;
/**
 * A jump of a whole number of octaves (within OCTAVE_SLACK_CENTS) must hold this long, at
 * the new pitch, to count: YIN briefly takes a strong second harmonic for the pitch (a
 * choir's "aah", a clarinet's low notes), and each slip would otherwise start a note.
 */
const OCTAVE_HOLD_S = 0.09;
const OCTAVE_SLACK_CENTS = 60;
/** A pitch change more than 20 dB below the note's peak so far is in its tail, not a new note. */
const TAIL_LEVEL = 10 ** (-20 / 20);
/** A legato change is moved back (up to this long) to where the pitch began to leave by this many cents. */
const PITCH_BACKTRACK_S = 0.046;
const PITCH_DEPARTURE_CENTS = 8;
/** …or, for a content, to a dip in level this far back at most, which the level then climbs out of by 2 dB. */
const LEGATO_VALLEY_S = 0.08;
const VALLEY_RISE = 10 ** (2 / 20);
/** …or to where it was moving towards the new pitch by more than this many cents a frame. */
const PITCH_GLIDE_CENTS = 1;
/** A flux onset this close to a pitch change is the same note start. */
const MERGE_S = 0.035;
/** Notes shorter than this are joined to the note before them (a slide, a breath, a tracking slip). */
const MIN_NOTE_S = 0.046;
/** YIN estimates with a normalised difference above this are unpitched. */
const APERIODICITY_LIMIT = 0.35;
/** Levels relative to a note's peak: its release begins 15 dB down; it is over 30 dB down. */
const RELEASE_LEVEL = 10 ** (-15 / 20);
const FADED_LEVEL = 10 ** (-30 / 20);
/** A fall of 12 dB within this long is a note let go (a damped string, a lifted key), not dying away. */
const SUDDEN_FALL_S = 0.035;
const SUDDEN_FALL_DB = 12;
/** After a sudden fall, a note that comes back to within 6 dB of the level it fell from was not let go (a dip at a slur). */
const REGAINED_LEVEL = 0.5;

const framesOf = (seconds: number, sampleRate: number, hop: number) => Math.max(1, Math.round((seconds * sampleRate) / hop));
const cents = (a: number, b: number) => 1200 * Math.log2(a / b);

/** Whether `f` is one or more whole octaves from `ref` (within OCTAVE_SLACK_CENTS). */
function isOctaveJump(f: number, ref: number): boolean {
  const c = Math.abs(cents(f, ref));
  const octaves = Math.round(c / 1200);
  return octaves >= 1 && Math.abs(c - 1200 * octaves) <= OCTAVE_SLACK_CENTS;
}

/**
 * Where a legato change began by its level: the quietest frame in the `span` frames before
 * frame t, when it is a dip (the level rises by VALLEY_RISE after it) — a bow or breath change
 * between two notes, heard before YIN can name the new pitch (its frames there are too
 * aperiodic to be read). t itself when there is no such dip.
 */
export function bowChange(level: Float64Array, t: number, span: number): number {
  let v = t;
  for (let j = t - 1; j >= Math.max(1, t - span); j--) if (level[j] < level[v]) v = j;
  if (v === t || !(level[v] < level[v - 1])) return t;
  let after = 0;
  for (let j = v + 1; j <= Math.min(level.length - 1, t + span); j++) after = Math.max(after, level[j]);
  return after >= level[v] * VALLEY_RISE ? v : t;
}

/** Median of the finite values in v[i − r … i + r] where v[i] is finite (NaN elsewhere). */
function medianFilter(v: Float32Array, r: number): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const w: number[] = [];
    for (let j = Math.max(0, i - r); j <= Math.min(v.length - 1, i + r); j++) if (Number.isFinite(v[j])) w.push(v[j]);
    w.sort((a, b) => a - b);
    out[i] = Number.isFinite(v[i]) && w.length ? w[w.length >> 1] : NaN;
  }
  return out;
}

/**
 * Pitch, onsets and level per frame of a signal and its STFT `spec` (hop `hop` at
 * `sampleRate`). Onsets are the flux detector's plus, for legato lines, frames where the
 * pitch leaves the note's pitch so far by more than PITCH_STEP_CENTS and stays, moved back
 * to where it began to leave (YIN's window and the median filter lag the change).
 * @param legatoFrom where a legato note begins: see LegatoStart
 */
export function trackFrames(samples: Float32Array, spec: ComplexSpectrogram, sampleRate: number, hop: number, sounding: readonly boolean[], legatoFrom: LegatoStart = 'departure'): FrameTrack {
  const frames = spec.frames;
  const n = (s: number) => framesOf(s, sampleRate, hop);
  const track = yin(samples, { sampleRate, hop, window: Math.round(YIN_WINDOW_S * sampleRate), fMin: 70 });
  const raw = new Float32Array(frames).fill(NaN);
  for (let t = 0; t < Math.min(frames, track.f0.length); t++) if (sounding[t] && track.aperiodicity[t] < APERIODICITY_LIMIT) raw[t] = track.f0[t];
  const f0 = medianFilter(raw, n(MEDIAN_S));
  const onsets = new Set(detectOnsets(samples, sampleRate).map((s) => Math.round((s * sampleRate) / hop)));
  const level = new Float64Array(frames);
  for (let t = 0; t < frames; t++) {
    let m = 0;
    for (let k = 0; k < spec.bins; k++) {
      const i = t * spec.bins + k;
      m = Math.max(m, spec.re[i] * spec.re[i] + spec.im[i] * spec.im[i]);
    }
    level[t] = Math.sqrt(m);
  }
  const flux = new Set(onsets);
  let run: number[] = [];
  let runPeak = 0;
  for (let t = 0; t < frames; t++) {
    if (!sounding[t]) {
      run = [];
      runPeak = 0;
    }
    runPeak = Math.max(runPeak, level[t]);
    const f = f0[t];
    if (!Number.isFinite(f)) continue;
    // A pitch heard in a note's dying tail (a harp's low resonance) does not start a note.
    if (run.length && level[t] >= runPeak * TAIL_LEVEL) {
      const ref = [...run].sort((x, y) => x - y)[run.length >> 1];
      let leaves = true;
      if (isOctaveJump(f, ref)) {
        // Held at the new octave for OCTAVE_HOLD_S, or a harmonic slip.
        for (let j = t; j < t + n(OCTAVE_HOLD_S) && leaves; j++) leaves = j < frames && Number.isFinite(f0[j]) && Math.abs(cents(f0[j], f)) <= PITCH_STEP_CENTS;
      } else {
        for (let j = t; j < Math.min(frames, t + n(PITCH_HOLD_S)) && leaves; j++) leaves = Number.isFinite(f0[j]) && Math.abs(cents(f0[j], ref)) > PITCH_STEP_CENTS;
      }
      if (leaves) {
        const dir = f > ref ? 1 : -1;
        let start = t;
        for (let j = t - 1; j >= Math.max(1, t - n(PITCH_BACKTRACK_S)); j--) {
          // Still away from the old pitch, or already gliding towards the new one (a bowed or
          // sung change begins as a glide, often from inside the vibrato's swing).
          const away = Number.isFinite(raw[j]) && dir * cents(raw[j], ref) > PITCH_DEPARTURE_CENTS;
          const gliding = legatoFrom === 'glide' && Number.isFinite(raw[j]) && Number.isFinite(raw[j + 1]) && dir * cents(raw[j + 1], raw[j]) > PITCH_GLIDE_CENTS;
          if (away || gliding) start = j;
          else break;
        }
        if (legatoFrom === 'glide') start = Math.min(start, bowChange(level, t, n(LEGATO_VALLEY_S)));
        for (let j = start; j <= t + n(MERGE_S); j++) onsets.delete(j);
        for (let j = start - n(MERGE_S); j < start; j++) if (flux.has(j)) start = j;
        onsets.add(start);
        run = [];
        runPeak = level[t];
      }
    }
    run.push(f);
  }
  // Sound starting after a rest is an onset; one detected just after it is the same note start.
  for (let t = 0; t < frames; t++) {
    if (sounding[t] && (t === 0 || !sounding[t - 1])) for (let j = t + 1; j <= t + n(MERGE_S); j++) onsets.delete(j);
  }
  const sinceOnset = new Int32Array(frames);
  for (let t = 0; t < frames; t++) sinceOnset[t] = !sounding[t] || onsets.has(t) || t === 0 || !sounding[t - 1] ? 0 : sinceOnset[t - 1] + 1;
  return { f0, sinceOnset, level, sounding };
}

/** The end of a note's body: one past its last frame within 15 dB of its peak. */
function bodyEnd(levels: Float64Array, start: number, end: number, peak: number): number {
  let last = start;
  for (let t = start; t < end; t++) if (levels[t] >= peak * RELEASE_LEVEL) last = t;
  return last + 1;
}

/**
 * Where a note ends for a listener (see Note.offset): where it falls 30 dB below its peak for
 * good, or else where it falls suddenly (let go) for good. A piano's strings beat as they
 * decay, and a dip of the beat below −30 dB comes back to −20 dB: ended at the first dip, a
 * held 2 s piano note was let go after 0.8 s. A slurred clarinet note dips 25 dB at its
 * start and comes back: ended at the dip, the note was not played at all.
 */
function offsetOf(levels: Float64Array, start: number, end: number, suddenFrames: number): number {
  let peakAt = start;
  for (let t = start; t < end; t++) if (levels[t] > levels[peakAt]) peakAt = t;
  let lastHeard = peakAt;
  for (let t = peakAt; t < end; t++) if (levels[t] >= levels[peakAt] * FADED_LEVEL) lastHeard = t;
  if (lastHeard + 1 < end) return lastHeard + 1;
  const drop = 10 ** (-SUDDEN_FALL_DB / 20);
  // The loudest level from each frame to the note's end: a note let go does not come back.
  const after = new Float64Array(end - start + 1);
  for (let t = end - 1; t >= start; t--) after[t - start] = Math.max(levels[t], after[t - start + 1]);
  for (let t = start + suddenFrames + 1; t < end; t++) {
    if (levels[t] < levels[t - suddenFrames] * drop && after[t - start] < levels[t - suddenFrames] * REGAINED_LEVEL) {
      // The fall began after the last frame still near the level it fell from.
      let u = t - suddenFrames;
      while (u + 1 < t && levels[u + 1] > levels[t - suddenFrames] * 0.7) u++;
      return u + 1;
    }
  }
  return end;
}

/**
 * How fast the level falls from the peak to `end`, in dB per frame, ≤ 0: the median level
 * of the last third against that of the first third, over the distance between their
 * middles. Medians ignore vibrato swells and a release in the last frames.
 */
function decaySlope(levels: Float64Array, start: number, end: number): number {
  let p = start;
  for (let t = start; t < end; t++) if (levels[t] > levels[p]) p = t;
  const n = end - p;
  if (n < 6) return 0;
  const third = Math.floor(n / 3);
  const medianDb = (a: number, b: number) => {
    const v = Array.from(levels.subarray(a, b), (x) => 20 * Math.log10(Math.max(x, 1e-12))).sort((x, y) => x - y);
    return v[v.length >> 1];
  };
  const slope = (medianDb(end - third, end) - medianDb(p, p + third)) / (n - third);
  return Number.isFinite(slope) ? Math.min(0, slope) : 0;
}

/**
 * A note's level contour read off `level` (one value per frame) over frames [start, end):
 * its peak, body end, offset and decay slope (see Note).
 * @param suddenFrames frames within which a 12 dB fall counts as a note let go
 */
export function noteShape(level: Float64Array, start: number, end: number, suddenFrames: number): Pick<Note, 'peak' | 'body' | 'offset' | 'slopeDb'> {
  let peak = 0;
  for (let j = start; j < end; j++) peak = Math.max(peak, level[j]);
  const body = bodyEnd(level, start, end, peak);
  return { peak, body, offset: offsetOf(level, start, end, suddenFrames), slopeDb: decaySlope(level, start, body) };
}

/** Frames within which a fall of SUDDEN_FALL_DB marks a note let go. */
export const suddenFallFrames = (sampleRate: number, hop: number): number => framesOf(SUDDEN_FALL_S, sampleRate, hop);

/** The notes of a track: runs of sounding frames cut at onsets, slivers joined to the note before. */
export function notesOf(track: FrameTrack, sampleRate: number, hop: number): Note[] {
  const notes: Note[] = [];
  const T = track.f0.length;
  const minFrames = framesOf(MIN_NOTE_S, sampleRate, hop);
  const sudden = suddenFallFrames(sampleRate, hop);
  for (let t = 0; t < T;) {
    if (!track.sounding[t]) {
      t++;
      continue;
    }
    let e = t + 1;
    while (e < T && track.sounding[e] && track.sinceOnset[e] > 0) e++;
    const prev = notes[notes.length - 1];
    if (prev && prev.end === t && e - t < minFrames) {
      if (prev.offset === prev.end) prev.offset = e;
      prev.end = e;
    } else {
      const pitches: number[] = [];
      for (let j = t; j < e; j++) if (Number.isFinite(track.f0[j])) pitches.push(track.f0[j]);
      pitches.sort((x, y) => x - y);
      notes.push({ start: t, end: e, f0: pitches.length * 3 >= e - t ? pitches[pitches.length >> 1] : NaN, ...noteShape(track.level, t, e, sudden) });
    }
    t = e;
  }
  return notes;
}
