import { describe, expect, it } from 'vitest';
import { melodyKept } from '../../../engine/analysis/melody-kept';

const RATE = 22050;

/** A harmonic tone per note (Hz, 0 = rest), each `seconds` long, with a given partial recipe. */
function melody(notes: number[], seconds: number, partials: number[]): Float32Array {
  const n = Math.round(seconds * RATE);
  const x = new Float32Array(notes.length * n);
  notes.forEach((hz, k) => {
    if (!hz) return;
    for (let i = 0; i < n; i++) {
      const fade = Math.min(1, i / 200, (n - i) / 200);
      let v = 0;
      partials.forEach((a, h) => (v += a * Math.sin((2 * Math.PI * hz * (h + 1) * i) / RATE)));
      x[k * n + i] = 0.3 * fade * v;
    }
  });
  return x;
}

const TUNE = [262, 294, 330, 349, 392, 0, 440, 392];

describe('melody kept', () => {
  it('is about 1 for the same tune on another instrument, though every partial differs in level', () => {
    const kept = melodyKept(melody(TUNE, 0.4, [1, 0.3]), melody(TUNE, 0.4, [0.4, 1, 0.6, 0.5]), RATE)!;
    expect(kept).toBeGreaterThan(0.9);
  });

  it('falls with the notes that are wrong, and is about 0 for another tune or a semitone off', () => {
    const half = [...TUNE.slice(0, 4), 466, 0, 523, 587];
    const some = melodyKept(melody(TUNE, 0.4, [1, 0.3]), melody(half, 0.4, [1, 0.3]), RATE)!;
    expect(some).toBeGreaterThan(0.35);
    expect(some).toBeLessThan(0.75);
    const semitone = TUNE.map((f) => f * 2 ** (1 / 12));
    expect(melodyKept(melody(TUNE, 0.4, [1, 0.3]), melody(semitone, 0.4, [1, 0.3]), RATE)!).toBeLessThan(0.1);
    expect(melodyKept(melody(TUNE, 0.4, [1, 0.3]), new Float32Array(TUNE.length * 0.4 * RATE), RATE)).toBe(0);
  });

  it('does not judge a content with no pitch (noise)', () => {
    let s = 1;
    const noise = Float32Array.from({ length: RATE * 2 }, () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 0.5);
    expect(melodyKept(noise, noise, RATE)).toBeUndefined();
  });
});
