import { describe, expect, it } from 'vitest';
import { posteriorgramNotes, type Posteriorgrams } from '../../../engine/analysis/posteriorgram-notes';

const PITCHES = 88;
const CONTOUR_BINS = 264;

/** Posteriorgrams of `frames` frames at the network's floor (0.1 note, 0 onset), with notes written in. */
function grams(frames: number, notes: { midi: number; from: number; to: number; level: number }[]): Posteriorgrams {
  const note = new Float32Array(frames * PITCHES).fill(0.1);
  const onset = new Float32Array(frames * PITCHES);
  const contour = new Float32Array(frames * CONTOUR_BINS);
  for (const n of notes) {
    const k = n.midi - 21;
    onset[n.from * PITCHES + k] = 0.9;
    for (let t = n.from; t < n.to; t++) {
      note[t * PITCHES + k] = n.level;
      contour[t * CONTOUR_BINS + 3 * k + 1] = 1;
    }
  }
  return { frames, note, onset, contour };
}

describe('notes from posteriorgrams', () => {
  it('keeps a weak chord tone at the 3rd or 4th harmonic of the bass, drops weak notes at its octave and 5th–8th harmonics', () => {
    // C3 held strongly; over it, all as faint as the network hears a chord's upper notes
    // (0.4 against 0.8): G4 and C5 (3rd, 4th harmonics) — the chord's fifth and octave —
    // and C4, E5, G5, Bb5, C6 (2nd, 5th–8th), read as its partials.
    const upper = [67, 72, 76, 79, 60, 82, 84];
    const p = grams(100, [{ midi: 48, from: 10, to: 90, level: 0.8 }, ...upper.map((midi) => ({ midi, from: 10, to: 90, level: 0.4 }))]);
    const heard = posteriorgramNotes(p).map((n) => n.midi);
    expect(heard).toEqual([48, 67, 72]);
  });
  it('drops a weak note at the 3rd harmonic above E6 (a bright tone’s partial read as a note)', () => {
    const p = grams(100, [
      { midi: 72, from: 10, to: 90, level: 0.8 },
      { midi: 91, from: 10, to: 90, level: 0.4 },
    ]);
    expect(posteriorgramNotes(p).map((n) => n.midi)).toEqual([72]);
  });
  it('drops a note at the octave heard at 0.7× the note below (a bright bass’s 2nd partial), keeps a chord’s fifth as weak', () => {
    const p = grams(100, [
      { midi: 43, from: 10, to: 90, level: 0.8 },
      { midi: 55, from: 10, to: 90, level: 0.56 },
      { midi: 62, from: 10, to: 90, level: 0.56 },
    ]);
    expect(posteriorgramNotes(p).map((n) => n.midi)).toEqual([43, 62]);
  });
  it('keeps a note at the octave that is nearly as strong as the note below (a real doubling)', () => {
    const p = grams(100, [
      { midi: 48, from: 10, to: 90, level: 0.8 },
      { midi: 60, from: 10, to: 90, level: 0.7 },
    ]);
    expect(posteriorgramNotes(p).map((n) => n.midi)).toEqual([48, 60]);
  });
});
