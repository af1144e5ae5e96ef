/**
 * From the transcription network's three posteriorgrams to note events, after the method of
 * the Basic Pitch paper (Bittner et al., ICASSP 2022, §3.3): a note starts at a peak in time of
 * the onset posterior (or of a sharp rise of the note posterior, for notes whose attack the
 * onset head misses), lasts while the note posterior holds above a threshold (with a few
 * frames' tolerance for dips), and each note's pitch curve is read off the 3-bins-per-semitone
 * contour posterior near its pitch. Notes the onsets did not start but the note posterior
 * clearly holds (a legato change) are then found from the strongest remaining activations.
 */

/** Posteriorgrams on a uniform frame grid: row-major frames × pitches (88, MIDI 21–108) and frames × contour bins (264). */
export interface Posteriorgrams {
  frames: number;
  note: Float32Array;
  onset: Float32Array;
  contour: Float32Array;
}

/** A note on the frame grid: frames [start, end), MIDI pitch, mean note activation, bend per frame (semitones). */
export interface FrameNote {
  start: number;
  end: number;
  midi: number;
  amplitude: number;
  bend: Float32Array;
}

/** Thresholds (the package's defaults, which the paper tuned): onset peak, note activation to stay on. */
const ONSET_THRESHOLD = 0.5;
const FRAME_THRESHOLD = 0.3;
/** A note dipping below FRAME_THRESHOLD for fewer than this many frames (≈ 128 ms) goes on. */
const ENERGY_TOLERANCE = 11;
/** Notes of this many frames or fewer (≈ 58 ms) are dropped. */
const MIN_NOTE_FRAMES = 5;
const PITCHES = 88;
const MIDI_LOW = 21;
const CONTOUR_BINS = 264;
const BINS_PER_SEMITONE = 3;
/** The bend search spans ±25 contour bins (≈ ±8 semitones) weighted by a Gaussian of σ = 5 bins, so the note's own pitch wins over a neighbour's. */
const BEND_SPAN = 25;
const BEND_SIGMA = 5;

/**
 * The onset evidence: the onset posterior, or where larger, the note posterior's rise over
 * the last one and two frames (the smaller of the two, so a slow swell does not count),
 * scaled to the onset posterior's maximum.
 */
function onsetEvidence(p: Posteriorgrams): Float32Array {
  const { frames: T, note, onset } = p;
  const rise = new Float32Array(T * PITCHES);
  let riseMax = 0;
  let onsetMax = 0;
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < PITCHES; k++) {
      const i = t * PITCHES + k;
      onsetMax = Math.max(onsetMax, onset[i]);
      if (t < 2) continue;
      const r = Math.max(0, Math.min(note[i] - note[i - PITCHES], note[i] - note[i - 2 * PITCHES]));
      rise[i] = r;
      riseMax = Math.max(riseMax, r);
    }
  }
  const out = new Float32Array(T * PITCHES);
  const scale = riseMax > 0 ? onsetMax / riseMax : 0;
  for (let i = 0; i < out.length; i++) out[i] = Math.max(onset[i], rise[i] * scale);
  return out;
}

/** Frames [from, to) of pitch k as taken: no later note may start from their activation, nor a semitone either side. */
function consume(energy: Float32Array, k: number, from: number, to: number): void {
  for (let t = Math.max(0, from); t < to; t++) {
    for (let j = Math.max(0, k - 1); j <= Math.min(PITCHES - 1, k + 1); j++) energy[t * PITCHES + j] = 0;
  }
}

/** Walk from frame `t` in direction `dir` while pitch k's activation holds (with the tolerance); returns one past the last frame above threshold. */
function extent(energy: Float32Array, T: number, k: number, t: number, dir: 1 | -1): number {
  let i = t;
  let below = 0;
  while (i + dir >= 0 && i + dir < T && below < ENERGY_TOLERANCE) {
    i += dir;
    below = energy[i * PITCHES + k] < FRAME_THRESHOLD ? below + 1 : 0;
  }
  return i - dir * below + (dir > 0 ? 1 : 0);
}

/**
 * The bend curve of a note: per frame, the contour bin of highest Gaussian-weighted
 * posterior within ±BEND_SPAN of the note's pitch, refined by a parabola through it and its
 * neighbours (vibrato is finer than a third of a semitone), in semitones from the pitch.
 */
function bendOf(contour: Float32Array, k: number, start: number, end: number): Float32Array {
  // The network centres semitone k on the middle one of its three contour bins (a tone at
  // exactly MIDI pitch 21 + k peaks at bin 3k + 1, measured on synthetic tones).
  const centre = k * BINS_PER_SEMITONE + 1;
  const bend = new Float32Array(end - start);
  for (let t = start; t < end; t++) {
    const row = t * CONTOUR_BINS;
    let best = centre;
    let bestV = -1;
    for (let b = Math.max(0, centre - BEND_SPAN); b <= Math.min(CONTOUR_BINS - 1, centre + BEND_SPAN); b++) {
      const v = contour[row + b] * Math.exp(-((b - centre) ** 2) / (2 * BEND_SIGMA ** 2));
      if (v > bestV) [best, bestV] = [b, v];
    }
    let offset = 0;
    if (best > 0 && best < CONTOUR_BINS - 1) {
      const [a, m, c] = [contour[row + best - 1], contour[row + best], contour[row + best + 1]];
      const d = a - 2 * m + c;
      if (d < 0) offset = Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / d));
    }
    bend[t - start] = (best + offset - centre) / BINS_PER_SEMITONE;
  }
  return bend;
}

/**
 * Note events from posteriorgrams, sorted by start then pitch.
 * @returns notes on the frame grid (frame t at t · hop / sampleRate seconds)
 */
export function posteriorgramNotes(p: Posteriorgrams): FrameNote[] {
  const T = p.frames;
  const evidence = onsetEvidence(p);
  const energy = Float32Array.from(p.note);
  const notes: FrameNote[] = [];
  const add = (k: number, start: number, end: number) => {
    let sum = 0;
    for (let t = start; t < end; t++) sum += p.note[t * PITCHES + k];
    notes.push({ start, end, midi: MIDI_LOW + k, amplitude: Math.min(1, sum / (end - start)), bend: bendOf(p.contour, k, start, end) });
  };
  // Onset peaks, latest first: a repeated note's later start ends the earlier one's claim.
  const starts: [number, number][] = [];
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < PITCHES; k++) {
      const v = evidence[t * PITCHES + k];
      if (v > ONSET_THRESHOLD && (t === 0 || v > evidence[(t - 1) * PITCHES + k]) && (t === T - 1 || v > evidence[(t + 1) * PITCHES + k])) starts.push([t, k]);
    }
  }
  for (const [t, k] of starts.reverse()) {
    if (t >= T - 1) continue;
    const end = extent(energy, T, k, t, 1);
    if (end - t <= MIN_NOTE_FRAMES) continue;
    consume(energy, k, t, end);
    add(k, t, end);
  }
  // What the onsets missed: the strongest remaining activation, grown both ways.
  for (;;) {
    let at = 0;
    for (let i = 1; i < energy.length; i++) if (energy[i] > energy[at]) at = i;
    if (energy[at] <= FRAME_THRESHOLD) break;
    const t = Math.floor(at / PITCHES);
    const k = at % PITCHES;
    const end = extent(energy, T, k, t, 1);
    const from = Math.min(t, extent(energy, T, k, t, -1));
    consume(energy, k, from, end);
    if (end - from > MIN_NOTE_FRAMES) add(k, from, end);
  }
  return withoutHarmonicGhosts(notes).sort((a, b) => a.start - b.start || a.midi - b.midi);
}

/** A note this much weaker than a concurrent note whose harmonic it sits on is that note's partial, heard as a note. */
const GHOST_RATIO = 0.6;
/**
 * …or, an octave above it, this much weaker: a bright bass's (a guitar's, a piano's low
 * strings') second partial is heard as a note at 0.6–0.9× its amplitude. On the quality
 * benchmark's dev clips the notes an octave over a real note at 0.6–0.72× of it were
 * partials 17 times out of 21; at 0.72× or more, real 13 times of 22.
 */
const OCTAVE_GHOST_RATIO = 0.72;
/** …when it lies within this many semitones of harmonic 2–8 and overlaps that note for at least half its length. */
const GHOST_SEMITONES = 0.35;
const GHOST_HARMONICS = 8;
/**
 * Harmonics a weak concurrent note is kept on: the 3rd and 4th of a bass note are a chord's
 * fifth and double octave above it (C3 under G4 and C5), the commonest voicing there is, and
 * the network hears those upper notes about half as strongly as the bass. On the quality
 * benchmark's dev clips the weak notes it gave at the 3rd or 4th harmonic of a stronger note
 * were real 40 times out of 58; at the 2nd 5 of 53, at the 5th or 6th 8 of 24, at the 7th or
 * 8th none of 9 — those are dropped as partials. (Keeping the 5th and 6th too measured about
 * as well on the takes, but hears a plucked bass's bright 5th and 6th partials as notes.)
 */
const CHORD_HARMONICS = [3, 4];
/** …up to this MIDI pitch (E6): above it a bright reed's or string's partials are read as notes. */
const CHORD_HIGHEST = 88;

/**
 * Drop weak notes that are a stronger concurrent note's upper partials (the network answers
 * a bright tone's strong second harmonic with a faint note of its own): a take would
 * otherwise play them as notes. Real doublings an octave up are usually played as loud as
 * the note below and stay; weak notes on the harmonics a chord is voiced on
 * (CHORD_HARMONICS) stay too.
 */
function withoutHarmonicGhosts(notes: FrameNote[]): FrameNote[] {
  return notes.filter(
    (n) =>
      !notes.some((m) => {
        if (m === n || m.midi >= n.midi) return false;
        const overlap = Math.min(m.end, n.end) - Math.max(m.start, n.start);
        if (overlap < 0.5 * (n.end - n.start)) return false;
        for (let h = 2; h <= GHOST_HARMONICS; h++) {
          if (CHORD_HARMONICS.includes(h) && n.midi <= CHORD_HIGHEST) continue;
          if (n.amplitude >= (h === 2 ? OCTAVE_GHOST_RATIO : GHOST_RATIO) * m.amplitude) continue;
          if (Math.abs(n.midi - m.midi - 12 * Math.log2(h)) <= GHOST_SEMITONES) return true;
        }
        return false;
      }),
  );
}
