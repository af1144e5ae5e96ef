/**
 * How a chord's shared partials are split between its notes. A note taken out of a chordal
 * style keeps only its own harmonics (a harmonic mask), but in a chord many of those bins
 * also hold another note's partial: C3's third and fourth harmonics are G4's and C5's
 * fundamentals in a C major chord. Given whole, C3 would take G4 and C5 along at their full
 * level and, moved to another pitch, sound as a note with a faint fundamental under two loud
 * overtones, heard as a fifth and an octave above it. Instead each bin's power is divided
 * like a Wiener mask: every note sounding there is expected to put L² / h³ into its h-th
 * harmonic (L its level at its fundamental, partials falling as h^−1.5 in amplitude), and a
 * note keeps its expected share of the bin.
 */
import { harmonicAt } from './transpose';

/** A note sounding in a style frame: its pitch there (Hz) and its magnitude at its fundamental. */
export interface ChordNote {
  f0: number;
  level: number;
}

/**
 * Expected power of the h-th partial of a note whose fundamental has magnitude `level`:
 * L² / h^PARTIAL_FALL. Chosen on the quality benchmark's polyphonic dev set (multi-pitch F
 * × the truth's at falls 1, 2, 3, 4, 6: 0.877, 0.890, 0.906, 0.911, 0.915; frame-wise × the
 * match EQ's 0.850, 0.847, 0.848, 0.850, 0.855; onset F × the truth's 0.960, 0.954, 0.969,
 * 0.968, 0.944): steeper than 1 / h² in power, as the instruments' upper partials are.
 */
const PARTIAL_FALL = 3;
const partialPower = (level: number, h: number) => (level * level) / h ** PARTIAL_FALL;

/**
 * Per bin, the share (0–1) of a style frame's power that is `note`'s when `others` sound with
 * it: 1 where none of them has a harmonic, (own expected power) / (everyone's) where some do,
 * 1 between the note's harmonics (the harmonic mask deals with those bins).
 * @param binHz Hz per bin
 * @param out length = bins; written
 */
export function chordShares(note: ChordNote, others: readonly ChordNote[], binHz: number, out: Float64Array): void {
  out.fill(1);
  if (!others.length || !Number.isFinite(note.f0)) return;
  for (let k = 0; k < out.length; k++) {
    const hz = k * binHz;
    const h = harmonicAt(hz, note.f0);
    if (!h) continue;
    const own = partialPower(note.level, h);
    let all = own;
    for (const m of others) {
      const hm = Number.isFinite(m.f0) ? harmonicAt(hz, m.f0) : 0;
      if (hm) all += partialPower(m.level, hm);
    }
    if (all > 0) out[k] = own / all;
  }
}
