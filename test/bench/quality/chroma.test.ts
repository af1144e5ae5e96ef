import { describe, expect, it } from 'vitest';
import { chromaSimilarity, chromagram } from '../../../bench/quality/chroma';
import { pitchSpectrogram } from '../../../bench/quality/pitch-spectrogram';
import { RATE, harmonicTone, scaled } from './signals';

const hz = (midi: number) => 440 * Math.pow(2, (midi - 69) / 12);
const HARMONICS = [1, 0.5, 0.33, 0.25, 0.2, 0.17, 0.14, 0.12];

/** `pitches` as harmonic tones from `start` for `seconds`, in a clip of `total` seconds. */
function chord(pitches: number[], start = 0.5, seconds = 1, total = 2, harmonics = HARMONICS): Float32Array {
  const out = new Float32Array(Math.round(total * RATE));
  for (const p of pitches) harmonicTone(hz(p), seconds, harmonics).forEach((v, i) => (out[i + Math.round(start * RATE)] += v));
  return out;
}
const sim = (a: Float32Array, b: Float32Array) => chromaSimilarity(pitchSpectrogram(a), pitchSpectrogram(b));

describe('chroma similarity', () => {
  it('puts a pure tone in its pitch class', () => {
    const c = chromagram(pitchSpectrogram(chord([69], 0, 1, 1, [1])));
    const frame = Array.from(c.subarray(40 * 12, 41 * 12));
    expect(frame.indexOf(Math.max(...frame))).toBe(9); // A
    expect(Math.max(...frame.filter((_, i) => i !== 9))).toBeLessThan(frame[9] * 0.2);
  });

  it('is 1 for the same signal at any gain and for two silences', () => {
    const x = chord([60, 64, 67]);
    expect(sim(x, scaled(x, 0.05))).toBeCloseTo(1, 9);
    expect(sim(new Float32Array(RATE), new Float32Array(RATE))).toBe(1);
  });

  it('counts pitch classes, not octaves or timbre', () => {
    expect(sim(chord([60], 0.5, 1, 2, [1]), chord([72], 0.5, 1, 2, [1]))).toBeGreaterThan(0.98);
    expect(sim(chord([48, 64, 67], 0.5, 1, 2, [1, 0.8, 0.1, 0.4]), chord([60, 64, 67]))).toBeGreaterThan(0.95);
  });

  it('falls with the notes two chords share: C major against A minor (two of three) and F# major (none)', () => {
    const c = chord([60, 64, 67]);
    const am = sim(chord([57, 60, 64]), c);
    const fsharp = sim(chord([66, 70, 73]), c);
    expect(am).toBeGreaterThan(0.7);
    expect(am).toBeLessThan(0.9);
    expect(fsharp).toBeLessThan(0.3);
    // Pure tones a tritone apart share nothing but window leakage.
    expect(sim(chord([60], 0.5, 1, 2, [1]), chord([66], 0.5, 1, 2, [1]))).toBeLessThan(0.15);
  });

  it('scores 0 where only one of them sounds: a take silent for half the truth scores one half', () => {
    expect(sim(chord([60], 0, 1, 3, [1]), chord([60], 0, 2, 3, [1]))).toBeCloseTo(0.5, 1);
  });

  it('refuses signals of different lengths', () => {
    expect(() => sim(new Float32Array(RATE), new Float32Array(2 * RATE))).toThrow(/same length/);
  });
});
