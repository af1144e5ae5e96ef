/**
 * Frame-level multi-pitch: which notes sound in each 10 ms frame, estimated from the audio
 * by an iterative harmonic-sum detector, scored against the MIDI notes with mir_eval's
 * frame-level multipitch convention. The same detector runs on the truth, whose score is
 * the ceiling a take can be held to (the detector's own errors are in it).
 */
import type { Note } from './melodies';
import { matchedWithin } from './onsets';
import { binHz, frameTime, PITCH_ANALYSIS, type PitchSpectrogram } from './pitch-spectrogram';

/** The detector's settings (see `detectPitches`). */
export type MultiPitchSettings = { [K in keyof typeof MULTIPITCH]: number };

export const MULTIPITCH = {
  /** Candidate pitches, MIDI note numbers (C2 … C7). */
  lowest: 36,
  highest: 96,
  /** Harmonics summed per candidate, and the highest frequency they may reach, Hz. */
  harmonics: 10,
  maxHz: 5000,
  /** Harmonic h weighs h^−weightPower in the salience. */
  weightPower: 1,
  /** Half-width, cents, of the band around each harmonic whose largest bin is its amplitude. */
  searchCents: 30,
  /** Bins either side of a harmonic's peak bin taken away with it (the Hann main lobe is ±2 bins). */
  lobeBins: 2,
  /** Half-width in bins of the local mean taken away before the search (whitening), and its multiple. */
  floorBins: 20,
  floorTimes: 1.5,
  /** At most this many notes per frame. */
  maxNotes: 6,
  /** A further note needs at least this fraction of the frame's first note's salience. */
  relative: 0.2,
  /** A further note at a harmonic (2nd…10th, ±30 cents) of a note already found needs this fraction instead. */
  relativeAtHarmonic: 0.3,
  /** A frame's first note needs at least this fraction of the loudest frame's (−30 dB). */
  absolute: 0.0316,
} as const;

const hzOf = (midi: number) => 440 * Math.pow(2, (midi - 69) / 12);

/** For each candidate, the bin range searched for each of its harmonics below maxHz: [lo, hi] inclusive. */
function harmonicBins(bins: number, MULTIPITCH: MultiPitchSettings): { pitch: number; ranges: [number, number][] }[] {
  const df = binHz(1);
  const out = [];
  for (let p = MULTIPITCH.lowest; p <= MULTIPITCH.highest; p++) {
    const ranges: [number, number][] = [];
    for (let h = 1; ; h++) {
      const f = h * hzOf(p);
      if (f > MULTIPITCH.maxHz) break;
      const r = Math.pow(2, MULTIPITCH.searchCents / 1200);
      const centre = Math.round(f / df);
      const lo = Math.min(centre, Math.ceil(f / r / df));
      const hi = Math.max(centre, Math.floor((f * r) / df));
      if (hi < bins) ranges.push([lo, hi]);
    }
    out.push({ pitch: p, ranges });
  }
  return out;
}

/** Is MIDI pitch `p` within 30 cents of harmonic 2…10 of pitch `q`? */
function atHarmonic(p: number, q: number): boolean {
  for (let h = 2; h <= 10; h++) if (Math.abs(p - q - 12 * Math.log2(h)) <= 0.3) return true;
  return false;
}

/**
 * Pitches sounding in every frame, by iterative harmonic-sum estimation and cancellation
 * (after Klapuri's iterative estimator, simplified):
 * 0. Whitening: each bin's magnitude less 1.5 × the mean over ±20 bins (108 Hz), floored at 0,
 *    is the spectrum searched (the residual), so broadband transients give no salience.
 * 1. a_h(p) = the largest residual magnitude within ±30 cents of h·f0(p) (at least the
 *    nearest bin), for each candidate MIDI pitch p in 36…96 and harmonic h below 5 kHz;
 *    salience S(p) = Σ_{h=1…10} a_h(p) / h (the 1/h weight makes a pitch outweigh its
 *    sub-octave, whose salience over the same partials is at most half as large; a tone whose
 *    fundamental is much weaker than its second partial may also be read an octave up).
 * 2. The next pitch is the one whose salience is the largest multiple of the fraction it
 *    needs: 0.2 × the frame's first pitch's salience, or 0.3 × for a pitch at a harmonic
 *    (2nd…10th, ±30 cents) of a pitch already found, where the residual of that note's
 *    partials lies. It is taken if it reaches that fraction; the frame's first pitch is taken
 *    if its salience is ≥ 0.0316 × (−30 dB) the largest first salience of any frame.
 * 3. Its partials (every harmonic below 5 kHz) are taken out of the residual: at harmonic h,
 *    the amplitude it is given is
 *    ã_h = min(a_h, mean of a_{h−1}, a_h, a_{h+1}) (spectral smoothness: a partial much
 *    stronger than its neighbours is shared with another note, which keeps the rest), and the
 *    peak bin and the 2 bins either side of it are scaled by 1 − ã_h / a_h.
 * 4. Repeat from 1, at most 6 pitches per frame.
 * @returns per frame, the detected MIDI pitches (whole semitones, ascending)
 */
export function detectPitches(s: PitchSpectrogram, settings: MultiPitchSettings = MULTIPITCH): number[][] {
  const cands = harmonicBins(s.bins, settings);
  const MULTIPITCH = settings;
  const residual = new Float32Array(s.bins);
  const weights = Array.from({ length: MULTIPITCH.harmonics }, (_, h) => Math.pow(h + 1, -MULTIPITCH.weightPower));
  const salience = (c: (typeof cands)[number], amps?: number[], peaks?: number[]) => {
    let sum = 0;
    c.ranges.forEach(([lo, hi], h) => {
      // Every partial below maxHz is found (and taken away), the first `harmonics` count.
      if (!amps && h >= MULTIPITCH.harmonics) return;
      let best = lo;
      for (let k = lo + 1; k <= hi; k++) if (residual[k] > residual[best]) best = k;
      if (h < MULTIPITCH.harmonics) sum += residual[best] * weights[h];
      amps?.push(residual[best]);
      peaks?.push(best);
    });
    return sum;
  };
  // The candidate that best clears its threshold: salience / the fraction of the top it needs.
  const need = (p: number, found: readonly number[]) => (found.some((q) => atHarmonic(p, q)) ? MULTIPITCH.relativeAtHarmonic : MULTIPITCH.relative);
  const strongest = (found: readonly number[] = []) => {
    let best = 0;
    let bestS = -1;
    let bestScore = -1;
    cands.forEach((c, i) => {
      if (found.includes(c.pitch)) return;
      const v = salience(c);
      const score = v / need(c.pitch, found);
      if (score > bestScore) {
        bestScore = score;
        bestS = v;
        best = i;
      }
    });
    return { index: best, salience: bestS };
  };
  // Whitening: what rises above floorTimes × the local mean is a partial, the rest is noise
  // (a pluck's or a bow's broadband transient would otherwise give every candidate salience).
  const peaks = new Float32Array(s.magnitude.length);
  const sums = new Float64Array(s.bins + 1);
  const W = MULTIPITCH.floorBins;
  for (let t = 0; t < s.frames; t++) {
    const row = t * s.bins;
    for (let k = 0; k < s.bins; k++) sums[k + 1] = sums[k] + s.magnitude[row + k];
    for (let k = 0; k < s.bins; k++) {
      const lo = Math.max(0, k - W);
      const hi = Math.min(s.bins, k + W + 1);
      peaks[row + k] = Math.max(0, s.magnitude[row + k] - (MULTIPITCH.floorTimes * (sums[hi] - sums[lo])) / (hi - lo));
    }
  }
  const load = (t: number) => residual.set(peaks.subarray(t * s.bins, (t + 1) * s.bins));
  // First pass: each frame's first salience, for the absolute threshold.
  const first = new Float64Array(s.frames);
  for (let t = 0; t < s.frames; t++) {
    load(t);
    first[t] = strongest().salience;
  }
  const floor = Math.max(0, ...first) * MULTIPITCH.absolute;
  const out: number[][] = [];
  for (let t = 0; t < s.frames; t++) {
    const found: number[] = [];
    if (first[t] > 0 && first[t] >= floor) {
      load(t);
      let top = 0;
      while (found.length < MULTIPITCH.maxNotes) {
        const { index, salience: v } = strongest(found);
        const p = cands[index].pitch;
        if (found.length === 0) top = v;
        else if (v < top * need(p, found)) break;
        if (!(v > 0)) break;
        found.push(p);
        const amps: number[] = [];
        const peaks: number[] = [];
        salience(cands[index], amps, peaks);
        amps.forEach((a, h) => {
          if (!(a > 0)) return;
          const near = amps.slice(Math.max(0, h - 1), h + 2);
          const smooth = Math.min(a, near.reduce((x, y) => x + y, 0) / near.length);
          const keep = 1 - smooth / a;
          for (let k = Math.max(0, peaks[h] - MULTIPITCH.lobeBins); k <= Math.min(s.bins - 1, peaks[h] + MULTIPITCH.lobeBins); k++) residual[k] *= keep;
        });
      }
    }
    out.push(found.sort((a, b) => a - b));
  }
  return out;
}

/**
 * Around each note, frames where its pitch is neither required nor counted against a take:
 * `before` seconds before the onset (the 186 ms analysis window hears a note up to 93 ms
 * early) and `after` seconds after the note-off (a plucked or struck string, a release or a
 * room rings on after the key is let go; the MIDI note-off is not the end of the sound).
 */
export const REFERENCE_MARGINS = { before: 0.1, after: 0.5 } as const;

/** Per frame, the pitches that must sound and the pitches that may. */
export interface ReferencePitches {
  /** MIDI pitches of the notes sounding at each frame centre: onset ≤ t < offset. */
  sounding: number[][];
  /** MIDI pitches in a note's margins at that frame (REFERENCE_MARGINS), not sounding there. */
  tolerated: number[][];
}

/** The reference of `notes` on the analysis frames (frame i at `frameTime(i)`). */
export function referencePitches(notes: readonly Note[], frames: number): ReferencePitches {
  const sounding: number[][] = Array.from({ length: frames }, () => []);
  const tolerated: number[][] = Array.from({ length: frames }, () => []);
  const frameAt = (seconds: number) => Math.max(0, Math.ceil((seconds * PITCH_ANALYSIS.sampleRate) / PITCH_ANALYSIS.hop));
  for (const n of notes) {
    for (let i = frameAt(n.onset); i < frames && frameTime(i) < n.offset; i++) sounding[i].push(n.pitch);
  }
  for (const n of notes) {
    const margin = (from: number, to: number) => {
      for (let i = frameAt(from); i < frames && frameTime(i) < to; i++) if (!sounding[i].includes(n.pitch) && !tolerated[i].includes(n.pitch)) tolerated[i].push(n.pitch);
    };
    margin(n.onset - REFERENCE_MARGINS.before, n.onset);
    margin(n.offset, n.offset + REFERENCE_MARGINS.after);
  }
  return { sounding, tolerated };
}

/** Frame-level multi-pitch scores (mir_eval.multipitch's precision, recall and F-measure). */
export interface MultiPitchScores {
  precision: number;
  recall: number;
  f: number;
}

/**
 * Frame-level multi-pitch precision, recall and F-measure, as mir_eval.multipitch defines
 * them: in each frame the estimated pitches are matched one to one with the reference's
 * within ±`toleranceCents` (50: half a semitone), as many as possible (a greedy pass over
 * both sorted lists is optimal for points on a line); TP = matches summed over all frames,
 * precision = TP / Σ estimates, recall = TP / Σ references, F = 2·P·R / (P + R) (0 when
 * P + R = 0). Precision is 1 with no estimate at all, recall 1 with no reference note.
 * One addition to mir_eval: an estimate within the tolerance of a `tolerated` pitch of its
 * frame (and matching no reference pitch) is dropped before counting, neither right nor wrong.
 * @param estimated per frame, MIDI pitches (fractional allowed)
 * @param reference per frame, MIDI pitches; as many frames as `estimated`
 * @param tolerated per frame, MIDI pitches an estimate may hold without cost; none when omitted
 */
export function multiPitchScores(
  estimated: readonly (readonly number[])[],
  reference: readonly (readonly number[])[],
  tolerated: readonly (readonly number[])[] = [],
  toleranceCents = 50,
): MultiPitchScores {
  if (estimated.length !== reference.length) throw new Error(`${estimated.length} estimated frames against ${reference.length} reference frames`);
  const tol = toleranceCents / 100;
  let tp = 0;
  let nEst = 0;
  let nRef = 0;
  for (let t = 0; t < reference.length; t++) {
    const ref = [...reference[t]].sort((a, b) => a - b);
    const near = (e: number, list: readonly number[]) => list.some((r) => Math.abs(e - r) <= tol);
    const est = estimated[t].filter((e) => near(e, ref) || !near(e, tolerated[t] ?? [])).sort((a, b) => a - b);
    nEst += est.length;
    nRef += ref.length;
    tp += matchedWithin(est, ref, tol);
  }
  const precision = nEst ? tp / nEst : 1;
  const recall = nRef ? tp / nRef : 1;
  return { precision, recall, f: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}
