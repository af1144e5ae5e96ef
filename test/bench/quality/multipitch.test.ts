import { describe, expect, it } from 'vitest';
import { REFERENCE_MARGINS, detectPitches, multiPitchScores, referencePitches } from '../../../bench/quality/multipitch';
import { PITCH_ANALYSIS, frameTime, pitchSpectrogram } from '../../../bench/quality/pitch-spectrogram';
import { RATE, harmonicTone } from './signals';

const hz = (midi: number) => 440 * Math.pow(2, (midi - 69) / 12);
const HARMONICS = [1, 0.5, 0.33, 0.25, 0.2, 0.17, 0.14, 0.12];

/** `pitches` as harmonic tones from 0.5 s to 1.5 s in a 2 s clip. */
function chord(pitches: number[], harmonics = HARMONICS): Float32Array {
  const out = new Float32Array(2 * RATE);
  for (const p of pitches) harmonicTone(hz(p), 1, harmonics).forEach((v, i) => (out[i + RATE / 2] += v));
  return out;
}
const frameAt = (s: number) => Math.round((s * PITCH_ANALYSIS.sampleRate) / PITCH_ANALYSIS.hop);

describe('frame-level multi-pitch scores (mir_eval convention)', () => {
  it('counts matches over all frames: precision over estimates, recall over references', () => {
    const r = multiPitchScores([[60, 64], [60], []], [[60, 65], [], [72]]);
    expect(r.precision).toBeCloseTo(1 / 3, 12);
    expect(r.recall).toBeCloseTo(1 / 3, 12);
    expect(r.f).toBeCloseTo(1 / 3, 12);
    expect(multiPitchScores([[]], [[]])).toEqual({ precision: 1, recall: 1, f: 1 });
    expect(multiPitchScores([[61]], [[60]]).f).toBe(0);
  });

  it('matches within ±50 cents, one estimate to one reference', () => {
    expect(multiPitchScores([[60.4]], [[60]]).f).toBe(1);
    expect(multiPitchScores([[60.6]], [[60]]).f).toBe(0);
    const twice = multiPitchScores([[59.8, 60.2]], [[60]]);
    expect(twice.precision).toBe(0.5);
    expect(twice.recall).toBe(1);
  });

  it('drops estimates of a tolerated pitch, and only those', () => {
    expect(multiPitchScores([[60, 67]], [[60]], [[67]]).precision).toBe(1);
    expect(multiPitchScores([[60, 68]], [[60]], [[67]]).precision).toBe(0.5);
    expect(() => multiPitchScores([[60]], [])).toThrow(/1 estimated frames against 0/);
  });

  it('takes the reference from the notes, on 10 ms frames, with margins before and after', () => {
    const { sounding, tolerated } = referencePitches([{ pitch: 60, onset: 0.5, offset: 1 }], 200);
    expect(frameTime(1)).toBeCloseTo(0.00998, 5);
    expect(sounding[frameAt(0.6)]).toEqual([60]);
    expect(sounding[frameAt(0.45)]).toEqual([]);
    expect(tolerated[frameAt(0.45)]).toEqual([60]);
    expect(tolerated[frameAt(1 + REFERENCE_MARGINS.after / 2)]).toEqual([60]);
    expect(sounding[frameAt(1.2)].length + tolerated[frameAt(1 + REFERENCE_MARGINS.after + 0.1)].length).toBe(0);
  });
});

describe('multi-pitch detector', () => {
  const steady = (est: number[][]) => est.slice(frameAt(0.7), frameAt(1.3));

  it('finds one tone, a triad, an octave and a bass under a chord in at least 4 of 5 steady frames, and nothing in silence', () => {
    for (const notes of [[69], [60, 64, 67], [60, 72], [48, 60], [48, 64, 67]]) {
      const est = detectPitches(pitchSpectrogram(chord(notes)));
      const exact = steady(est).filter((e) => JSON.stringify(e) === JSON.stringify(notes)).length;
      expect(exact / steady(est).length, `${notes}`).toBeGreaterThanOrEqual(0.8);
      expect(est.slice(0, frameAt(0.35)).flat(), `${notes} before`).toEqual([]);
      expect(est.slice(frameAt(1.65)).flat(), `${notes} after`).toEqual([]);
    }
  });

  it('scores a bass under a spread chord (partials of the bass on chord notes) high', () => {
    const notes = [36, 55, 64, 72];
    const s = pitchSpectrogram(chord(notes));
    const ref = referencePitches(
      notes.map((pitch) => ({ pitch, onset: 0.5, offset: 1.5 })),
      s.frames,
    );
    expect(multiPitchScores(detectPitches(s), ref.sounding, ref.tolerated).f).toBeGreaterThan(0.9);
  });

  it('scores a clean chord near 1 against its notes, and a wrong chord near 0', () => {
    const notes = [60, 64, 67].map((pitch) => ({ pitch, onset: 0.5, offset: 1.5 }));
    const s = pitchSpectrogram(chord([60, 64, 67]));
    const ref = referencePitches(notes, s.frames);
    expect(multiPitchScores(detectPitches(s), ref.sounding, ref.tolerated).f).toBeGreaterThan(0.95);
    const wrong = pitchSpectrogram(chord([62, 65, 69]));
    expect(multiPitchScores(detectPitches(wrong), ref.sounding, ref.tolerated).f).toBeLessThan(0.05);
  });

  it('finds a tone with a weak fundamental at its own pitch (its octave may come too)', () => {
    const est = detectPitches(pitchSpectrogram(chord([57], [0.3, 1, 0.7, 0.5, 0.4, 0.3])));
    expect(steady(est).filter((e) => e[0] === 57 && e.every((p) => p === 57 || p === 69)).length / steady(est).length).toBeGreaterThan(0.9);
  });
});
