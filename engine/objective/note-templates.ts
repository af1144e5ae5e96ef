/**
 * Note templates: the style instrument's own sound, frame by frame, moved to the content's
 * pitches and note times — what the content would sound like played by the style's
 * instrument, to a first order. It is the target of the `notes` loss term and a starting
 * point (`init: "notes"`); the other terms refine it.
 *
 * For every sounding content frame one style frame is chosen (unit selection, after
 * concatenative synthesis), by a Viterbi path over the style's frames that balances:
 * - pitch: semitones between the content's f0 and the style frame's (YIN, engine/dsp/pitch.ts);
 * - articulation: frames since the last onset (engine/dsp/onsets.ts) in both, so the
 *   content's note starts get the style's attacks and its held notes the style's sustain;
 * - continuity: moving on to the next style frame costs nothing, stepping back one a little,
 *   jumping a fixed amount, so the style's own evolution (vibrato, decay) plays through where
 *   it can and short style notes are read back and forth rather than spliced.
 * The chosen frame is transposed by ρ = f0(content) / f0(style) keeping its spectral envelope
 * in place (formants and body resonances do not move with the pitch): with P = |S|² and E
 * its local mean over one harmonic spacing each side, the template's power at bin k is
 * E(k) · (P / E)(k / ρ). Each content note's loudness scales its frames (the content's
 * dynamics stay); within a note the style frames keep their own shape (attack, decay).
 */
import type { ComplexSpectrogram } from '../dsp/stft';
import { detectOnsets } from '../dsp/onsets';
import { yin } from '../dsp/pitch';

/** Per-frame description of a signal for the selection. */
export interface FrameTrack {
  /** f0 in Hz per frame (NaN: unpitched or silent), median-filtered over 5 frames. */
  f0: Float64Array;
  /** Frames since the last onset (or since sound began after a rest). */
  sinceOnset: Int32Array;
  /** Peak magnitude of each frame. */
  level: Float64Array;
  /** Peak magnitude of the note (onset to onset) each frame belongs to. */
  notePeak: Float64Array;
  /** Whether the frame sounds (the render's rest rule). */
  sounding: readonly boolean[];
}

/** The log domain's floor, relative to the loudest magnitude: −100 dB. */
const LOG_FLOOR = 1e-5;
/** Power kept between the harmonics of a pitched style note (−13 dB), and how near a bin must be to a harmonic (Hz). */
const INHARMONIC_KEEP = 0.25;
const HARMONIC_TOLERANCE_HZ = 16;
/** Half-width in bins of the envelope's average for an unpitched frame. */
const UNPITCHED_SPAN = 8;
/** A note's release begins where it falls 15 dB below its peak. */
const RELEASE_LEVEL = 10 ** (-15 / 20);
/** Cost, in semitones of transposition, of stretching a sustained style note to twice its length. */
const STRETCH_COST = 2;
/** An unpitched style frame for a pitched content frame costs this much. */
const UNPITCHED_COST = 24;
/** A pitch move larger than this (cents) that lasts PITCH_STEP_FRAMES starts a new (legato) note. */
const PITCH_STEP_CENTS = 70;
const PITCH_STEP_FRAMES = 2;
/** Frames a legato onset may be moved back to where its pitch began to leave (by this many cents). */
const PITCH_BACKTRACK = 4;
const PITCH_DEPARTURE_CENTS = 8;
/** A note this far below its peak (20 dB) has faded out. */
const FADED = 0.03162277660168379;
/** A fall this fast is a note being let go, not dying away: 12 dB within 3 frames. */
const OFFSET_DROP_DB = 12;
const OFFSET_FRAMES = 3;
/** Gains of the frames after a content note ends: −6 and −15 dB. */
const RELEASE_FADE = [0.5, 0.18];
/** Notes shorter than this (frames) are joined to the note before them. */
const MIN_NOTE_FRAMES = 4;
/** A flux onset this many frames from a pitch change is the same note start. */
const MERGE_FRAMES = 3;
/** YIN estimates with a normalised difference above this are treated as unpitched. */
const APERIODICITY_LIMIT = 0.35;

/** Median of the finite values in v[i − r … i + r] (NaN if none). */
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

/** Pitch, articulation and level per frame of a signal's STFT `spec` (hop `hop` at `sampleRate`). */
export function trackFrames(samples: Float32Array, spec: ComplexSpectrogram, sampleRate: number, hop: number, sounding: readonly boolean[]): FrameTrack {
  const frames = spec.frames;
  const track = yin(samples, { sampleRate, hop, window: Math.round(0.046 * sampleRate), fMin: 70 });
  const raw = new Float32Array(frames).fill(NaN);
  for (let t = 0; t < Math.min(frames, track.f0.length); t++) if (sounding[t] && track.aperiodicity[t] < APERIODICITY_LIMIT) raw[t] = track.f0[t];
  const f0 = medianFilter(raw, 2);
  const onsets = new Set(detectOnsets(samples).map((s) => Math.round((s * sampleRate) / hop)));
  // Legato notes start where the pitch leaves the current note's pitch (its median so far)
  // by more than PITCH_STEP_CENTS for PITCH_STEP_FRAMES frames: glides between notes count.
  const flux = new Set(onsets);
  let run: number[] = [];
  for (let t = 0; t < frames; t++) {
    if (!sounding[t]) run = [];
    const f = f0[t];
    if (!Number.isFinite(f)) continue;
    if (run.length) {
      const ref = [...run].sort((x, y) => x - y)[run.length >> 1];
      let leaves = true;
      for (let j = t; j < Math.min(frames, t + PITCH_STEP_FRAMES) && leaves; j++) leaves = Number.isFinite(f0[j]) && Math.abs(1200 * Math.log2(f0[j] / ref)) > PITCH_STEP_CENTS;
      if (leaves) {
        // The change began before it was sure: back to where the raw estimate first left the
        // old pitch, in the direction it went (YIN's window and the median filter lag it).
        const up = f > ref;
        let start = t;
        for (let j = t - 1; j >= Math.max(1, t - PITCH_BACKTRACK); j--) {
          const c = Number.isFinite(raw[j]) ? 1200 * Math.log2(raw[j] / ref) : 0;
          if ((up ? c : -c) > PITCH_DEPARTURE_CENTS) start = j;
          else break;
        }
        // A spectral-flux onset of the same change, found later, gives way to this earlier one.
        for (let j = start; j <= t + MERGE_FRAMES; j++) onsets.delete(j);
        for (let j = start - MERGE_FRAMES; j < start; j++) if (flux.has(j)) start = j;
        onsets.add(start);
        run = [];
      }
    }
    run.push(f);
  }
  const sinceOnset = new Int32Array(frames);
  for (let t = 0; t < frames; t++) sinceOnset[t] = !sounding[t] || onsets.has(t) || t === 0 || !sounding[t - 1] ? 0 : sinceOnset[t - 1] + 1;
  const level = new Float64Array(frames);
  for (let t = 0; t < frames; t++) {
    let m = 0;
    for (let k = 0; k < spec.bins; k++) {
      const i = t * spec.bins + k;
      m = Math.max(m, spec.re[i] * spec.re[i] + spec.im[i] * spec.im[i]);
    }
    level[t] = Math.sqrt(m);
  }
  const notePeak = new Float64Array(frames);
  for (let t = 0; t < frames; ) {
    let e = t + 1;
    while (e < frames && sounding[e] && sinceOnset[e] > 0) e++;
    let peak = 0;
    for (let j = t; j < e; j++) peak = Math.max(peak, level[j]);
    notePeak.fill(peak, t, e);
    t = e;
  }
  return { f0, sinceOnset, level, notePeak, sounding };
}

/** A note: frames [start, end) between onsets, its median f0 (NaN if unpitched) and peak level. */
export interface Note {
  start: number;
  end: number;
  f0: number;
  peak: number;
  /** End of its body: frames from here on are its release (15 dB or more below its peak). */
  body: number;
  /**
   * Where it ends for a listener: 20 dB below its peak, or the first frame of a fall of
   * OFFSET_DROP_DB within OFFSET_FRAMES (a damped string, a lifted key); `end` if neither.
   */
  offset: number;
  /**
   * How fast it dies away after its peak, in dB per frame (≤ 0): a least-squares line
   * through its level in dB over its body. About 0 for bowed, blown and sung notes;
   * negative for struck and plucked ones.
   */
  slopeDb: number;
}

/**
 * The end of a note's body: its last frame within RELEASE_DB of its peak (what follows is
 * its release, or silence). A struck note's slow decay stays inside; a bowed note's release
 * falls outside.
 */
function bodyEnd(levels: Float64Array, start: number, end: number, peak: number): number {
  let last = start;
  for (let t = start; t < end; t++) if (levels[t] >= peak * RELEASE_LEVEL) last = t;
  return last + 1;
}

/** The frame a note is let go (see Note.offset). */
function offsetOf(levels: Float64Array, start: number, end: number): number {
  // A note heard 20 dB below its peak is over for a listener, however slowly it got there.
  let peakAt = start;
  for (let t = start; t < end; t++) if (levels[t] > levels[peakAt]) peakAt = t;
  for (let t = peakAt; t < end; t++) if (levels[t] < levels[peakAt] * FADED) return t;
  const drop = 10 ** (-OFFSET_DROP_DB / 20);
  for (let t = start + OFFSET_FRAMES + 1; t < end; t++) {
    if (levels[t] < levels[t - OFFSET_FRAMES] * drop) {
      // The fall began after the last frame still near the level it fell from.
      let u = t - OFFSET_FRAMES;
      while (u + 1 < t && levels[u + 1] > levels[t - OFFSET_FRAMES] * 0.7) u++;
      return u + 1;
    }
  }
  return end;
}

/** The decay slope of levels[start … end) in dB per frame (see Note.slopeDb). */
function decaySlope(levels: Float64Array, start: number, end: number): number {
  let p = start;
  for (let t = start; t < end; t++) if (levels[t] > levels[p]) p = t;
  if (end - 1 - p < 3) return 0;
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let t = p; t < end; t++) {
    const y = 20 * Math.log10(Math.max(levels[t], 1e-12));
    n++;
    sx += t;
    sy += y;
    sxx += t * t;
    sxy += t * y;
  }
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return Number.isFinite(slope) ? Math.min(0, slope) : 0;
}

/** The notes of a track: runs of sounding frames cut at onsets. */
export function notesOf(track: FrameTrack): Note[] {
  const notes: Note[] = [];
  const T = track.f0.length;
  for (let t = 0; t < T; ) {
    if (!track.sounding[t]) {
      t++;
      continue;
    }
    let e = t + 1;
    while (e < T && track.sounding[e] && track.sinceOnset[e] > 0) e++;
    const pitches: number[] = [];
    for (let j = t; j < e; j++) if (Number.isFinite(track.f0[j])) pitches.push(track.f0[j]);
    pitches.sort((x, y) => x - y);
    const body = bodyEnd(track.level, t, e, track.notePeak[t]);
    const note = { start: t, end: e, body, offset: offsetOf(track.level, t, e), f0: pitches.length * 3 >= e - t ? pitches[pitches.length >> 1] : NaN, peak: track.notePeak[t], slopeDb: decaySlope(track.level, t, body) };
    const prev = notes[notes.length - 1];
    // A sliver between two notes (a slide, a breath, a tracking slip) belongs to the note before.
    if (prev && prev.end === t && e - t < MIN_NOTE_FRAMES) {
      if (prev.offset === prev.end) prev.offset = e;
      prev.end = e;
    }
    else notes.push(note);
    t = e;
  }
  return notes;
}

/**
 * The style note a content note takes: the least transposition (in semitones), plus the
 * log of how many times the style note would have to be stretched to last the content note,
 * plus UNPITCHED_COST for an unpitched style note under a pitched content note.
 */
export function pickStyleNote(note: Note, style: readonly Note[]): { note: Note; ratio: number } {
  let best = style[0];
  let bestCost = Infinity;
  for (const s of style) {
    const pitched = Number.isFinite(note.f0) && Number.isFinite(s.f0);
    const pitch = pitched ? Math.abs(12 * Math.log2(note.f0 / s.f0)) : Number.isFinite(note.f0) ? UNPITCHED_COST : 0;
    const stretch = Math.max(0, Math.log2((note.end - note.start) / (s.body - s.start)));
    const cost = pitch + STRETCH_COST * stretch;
    if (cost < bestCost) [best, bestCost] = [s, cost];
  }
  const ratio = Number.isFinite(note.f0) && Number.isFinite(best.f0) ? note.f0 / best.f0 : 1;
  return { note: best, ratio };
}

/**
 * The style frame for frame k of a content note, and the level change (dB) it gets: the style
 * note played from its attack; past its body, its second half read back and forth (a frozen
 * frame would buzz at the frame rate) while the level keeps falling at the instrument's decay
 * slope (dB per frame) from where it ended — a struck note dies away, a bowed one holds.
 */
export function styleFrameAt(src: Note, k: number, levelDb: (u: number) => number, slopeDb: number): { u: number; gainDb: number } {
  const len = src.body - src.start;
  if (k < len) return { u: src.start + k, gainDb: 0 };
  const loopStart = src.start + Math.floor(len / 2);
  const loopLen = src.body - loopStart;
  let u = src.body - 1;
  if (loopLen > 1) {
    const period = 2 * (loopLen - 1);
    const phase = (k - len) % period;
    u = phase < loopLen - 1 ? src.body - 2 - phase : loopStart + (phase - (loopLen - 1)) + 1;
  }
  const target = levelDb(src.body - 1) + slopeDb * (k - len + 1);
  return { u, gainDb: target - levelDb(u) };
}

/**
 * How much of a style bin at `hz` a note of pitch `f0` keeps: all of it near a harmonic
 * (within 3 % or 1.5 bins of h·f0), INHARMONIC_KEEP elsewhere — strings still ringing from
 * the style's earlier notes would otherwise be transposed along and blur the new pitch,
 * while the instrument's noise (breath, bow, hammer) keeps some of its level.
 */
function harmonicWeight(hz: number, f0: number): number {
  if (!Number.isFinite(f0) || hz < f0 * 0.5) return Number.isFinite(f0) ? INHARMONIC_KEEP : 1;
  const h = Math.max(1, Math.round(hz / f0));
  return Math.abs(hz - h * f0) <= Math.max(0.03 * h * f0, HARMONIC_TOLERANCE_HZ) ? 1 : INHARMONIC_KEEP;
}

/** out[k] = mean of l over [k − w, k + w] (clipped to the spectrum); `prefix` is scratch of length n + 1. */
function localMean(l: Float64Array, w: number, prefix: Float64Array, out: Float64Array): void {
  const n = l.length;
  prefix[0] = 0;
  for (let k = 0; k < n; k++) prefix[k + 1] = prefix[k] + l[k];
  for (let k = 0; k < n; k++) {
    const lo = Math.max(0, k - w);
    const hi = Math.min(n - 1, k + w);
    out[k] = (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
  }
}

/**
 * The template's linear magnitude, frames × bins of the content's STFT (0 in its rests).
 * @param content the content's samples, STFT and sounding frames
 * @param style the style's
 */
export function noteTemplate(
  content: { samples: Float32Array; spec: ComplexSpectrogram; sounding: readonly boolean[] },
  style: { samples: Float32Array; spec: ComplexSpectrogram; sounding: readonly boolean[] },
  sampleRate: number,
  hop: number,
): { magnitude: Float32Array; path: Int32Array } {
  const F = content.spec.bins;
  const c = trackFrames(content.samples, content.spec, sampleRate, hop, content.sounding);
  const s = trackFrames(style.samples, style.spec, sampleRate, hop, style.sounding);
  const binHz = sampleRate / (2 * (F - 1));
  const contentNotes = notesOf(c);
  const styleNotes = notesOf(s);
  const path = new Int32Array(content.spec.frames).fill(-1);
  const ratios = new Float64Array(content.spec.frames).fill(1);
  const gains = new Float64Array(content.spec.frames);
  const sourceF0 = new Float64Array(content.spec.frames).fill(NaN);
  if (styleNotes.length) {
    // The instrument's decay is read off its longest note: short notes in a run show their
    // attack's fall, not how the instrument holds.
    const longest = styleNotes.reduce((a, b) => (b.body - b.start > a.body - a.start ? b : a));
    for (const note of contentNotes) {
      const { note: src, ratio } = pickStyleNote(note, styleNotes);
      // Past the content note's end the template fades out over RELEASE_FADE frames, as the
      // style instrument would be released there.
      for (let t = note.start; t < Math.min(note.end, note.offset + RELEASE_FADE.length); t++) {
        const at = styleFrameAt(src, t - note.start, (u) => 20 * Math.log10(Math.max(s.level[u], 1e-12)), longest.slopeDb);
        path[t] = at.u;
        ratios[t] = ratio;
        sourceF0[t] = src.f0;
        const fade = t < note.offset ? 1 : RELEASE_FADE[t - note.offset];
        gains[t] = src.peak > 0 ? fade * (note.peak / src.peak) * 10 ** (at.gainDb / 20) : 0;
      }
    }
  }
  const magnitude = new Float32Array(content.spec.frames * F);
  const prefix = new Float64Array(F + 1);
  const l = new Float64Array(F);
  const env = new Float64Array(F);
  const spec = style.spec;
  for (let t = 0; t < path.length; t++) {
    const u = path[t];
    if (u < 0) continue;
    const ratio = ratios[t];
    // The style frame keeps its level relative to its own note's peak; the note takes the content note's peak.
    const gain = gains[t];
    const fs0 = sourceF0[t];
    for (let k = 0; k < F; k++) {
      const i = u * F + k;
      l[k] = gain * gain * (spec.re[i] * spec.re[i] + spec.im[i] * spec.im[i]) * harmonicWeight(k * binHz, fs0);
    }
    // The envelope is the local mean power over one harmonic spacing each side; the fine
    // structure P / E then has mean 1 over any such span, before and after it is transposed,
    // so the transposed frame keeps the style's power in every region of the spectrum (a
    // log-domain split would keep the log mean instead, and a peaky fine structure moved
    // into a flatter region would add its peaks' power there).
    const fs = sourceF0[t];
    localMean(l, Number.isFinite(fs) ? Math.max(2, Math.round(fs / binHz)) : UNPITCHED_SPAN, prefix, env);
    for (let k = 0; k < F; k++) {
      // Fine structure read at k / ρ (linear interpolation), envelope at k.
      const pos = k / ratio;
      const j = Math.floor(pos);
      const frac = pos - j;
      const fineAt = (q: number) => (env[q] > 0 ? l[q] / env[q] : 0);
      const fine = j + 1 < F ? (1 - frac) * fineAt(j) + frac * fineAt(j + 1) : 0;
      magnitude[t * F + k] = Math.sqrt(env[k] * fine);
    }
  }
  smoothWithinNotes(magnitude, F, c);
  return { magnitude, path };
}

/** Half-width in frames of the moving average that hides splices between style frames. */
const SPLICE_SMOOTHING = 2;

/**
 * A moving average of the log-magnitude over ±SPLICE_SMOOTHING frames, never across a
 * content onset or rest: splices between style frames would otherwise read as new notes
 * (spectral flux), while the content's own note starts stay sharp.
 */
function smoothWithinNotes(magnitude: Float32Array, bins: number, c: FrameTrack): void {
  const T = c.f0.length;
  let peak = 0;
  for (const v of magnitude) peak = Math.max(peak, v);
  const floor = Math.max(peak, 1e-30) * LOG_FLOOR;
  const log = Float64Array.from(magnitude, (v) => Math.log(v + floor));
  for (let t = 0; t < T; t++) {
    if (!c.sounding[t]) continue;
    let lo = t;
    while (lo > t - SPLICE_SMOOTHING && lo > 0 && c.sounding[lo - 1] && c.sinceOnset[lo] > 0) lo--;
    let hi = t;
    while (hi < t + SPLICE_SMOOTHING && hi + 1 < T && c.sounding[hi + 1] && c.sinceOnset[hi + 1] > 0) hi++;
    // Keep the attack: the first frames of a note are not averaged with later ones.
    if (c.sinceOnset[t] < SPLICE_SMOOTHING) continue;
    for (let k = 0; k < bins; k++) {
      let acc = 0;
      for (let j = lo; j <= hi; j++) acc += log[j * bins + k];
      magnitude[t * bins + k] = Math.max(0, Math.exp(acc / (hi - lo + 1)) - floor);
    }
  }
}
