import { describe, expect, it } from 'vitest';
import { chordShares } from '../../../../engine/objective/notes/chord-shares';

const BIN_HZ = 22050 / 4096;
const bin = (hz: number) => Math.round(hz / BIN_HZ);

describe('chordShares', () => {
  it('gives a note every bin when nothing sounds with it', () => {
    const out = new Float64Array(2049).fill(-1);
    chordShares({ f0: 130.81, level: 1 }, [], BIN_HZ, out);
    expect(out.every((v) => v === 1)).toBe(true);
  });

  it("splits a shared partial by the notes' expected partial powers, L² / h³", () => {
    const c3 = { f0: 130.81, level: 1 };
    const g4 = { f0: 392.0, level: 1 }; // C3's third harmonic (392.4 Hz)
    const forC3 = new Float64Array(2049);
    const forG4 = new Float64Array(2049);
    chordShares(c3, [g4], BIN_HZ, forC3);
    chordShares(g4, [c3], BIN_HZ, forG4);
    const k = bin(392.2);
    expect(forC3[k]).toBeCloseTo(1 / 27 / (1 / 27 + 1), 6);
    expect(forG4[k]).toBeCloseTo(1 / (1 / 27 + 1), 6);
    expect(forC3[k] + forG4[k]).toBeCloseTo(1, 9);
    // Partials the other does not have stay whole: C3's fundamental and second harmonic.
    expect(forC3[bin(130.81)]).toBe(1);
    expect(forC3[bin(261.6)]).toBe(1);
    // A louder G4 takes more: at 10× the level, C3 keeps 1 / 2701 of the bin.
    chordShares(c3, [{ ...g4, level: 10 }], BIN_HZ, forC3);
    expect(forC3[k]).toBeCloseTo(1 / 27 / (1 / 27 + 100), 9);
  });

  it('ignores unpitched notes and leaves an unpitched note whole', () => {
    const out = new Float64Array(2049);
    chordShares({ f0: 200, level: 1 }, [{ f0: NaN, level: 5 }], BIN_HZ, out);
    expect(out.every((v) => v === 1)).toBe(true);
    chordShares({ f0: NaN, level: 1 }, [{ f0: 200, level: 5 }], BIN_HZ, out);
    expect(out.every((v) => v === 1)).toBe(true);
  });
});
