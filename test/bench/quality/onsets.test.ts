import { describe, expect, it } from 'vitest';
import { onsetFMeasure } from '../../../bench/quality/onsets';
import { detectOnsets } from '../../../engine/analysis/onsets';
import { noise } from '../../engine/dsp/signals';
import { RATE } from './signals';

const clicks = [0.3, 0.75, 1.1, 1.6, 2.05, 2.5];

/** Short decaying noise bursts (clicks) at `times` seconds over a quiet noise floor. */
function clickTrack(times: number[], seconds = 3): Float32Array {
  const x = noise(seconds * RATE, 11).map((v) => v * 1e-4);
  const burst = noise(2000, 12);
  for (const t of times) {
    const start = Math.round(t * RATE);
    for (let i = 0; i < burst.length && start + i < x.length; i++) x[start + i] += burst[i] * Math.exp(-i / 300);
  }
  return x;
}

/** Tone notes at `times`: 30 ms attack, exponential decay, 20 ms release (no click at the end). */
function toneNotes(times: number[], hz: number[], seconds = 3): Float32Array {
  const x = new Float32Array(seconds * RATE);
  times.forEach((t, n) => {
    const start = Math.round(t * RATE);
    const len = Math.round(0.3 * RATE);
    for (let i = 0; i < len && start + i < x.length; i++) {
      const env = Math.min(1, i / (0.03 * RATE), (len - i) / (0.02 * RATE)) * Math.exp(-i / (0.2 * RATE));
      x[start + i] += 0.5 * env * (Math.sin((2 * Math.PI * hz[n] * i) / RATE) + 0.5 * Math.sin((4 * Math.PI * hz[n] * i) / RATE));
    }
  });
  return x;
}

describe('onset detector', () => {
  it('finds clicks within one hop (11.6 ms) and nothing else', () => {
    const found = detectOnsets(clickTrack(clicks));
    expect(found.length).toBe(clicks.length);
    found.forEach((t, i) => expect(Math.abs(t - clicks[i])).toBeLessThan(0.012));
    expect(onsetFMeasure(found, clicks).f).toBe(1);
  });

  it('finds soft-attack tone notes within the 50 ms window, whatever the level', () => {
    const x = toneNotes(clicks, [262, 330, 392, 523, 440, 349]);
    expect(onsetFMeasure(detectOnsets(x), clicks).f).toBe(1);
    expect(detectOnsets(x.map((v) => v * 1e-3))).toEqual(detectOnsets(x));
  });

  it('finds nothing in silence or steady noise', () => {
    expect(detectOnsets(new Float32Array(RATE))).toEqual([]);
    expect(detectOnsets(noise(2 * RATE, 4)).length).toBeLessThanOrEqual(1);
  });
});

describe('onset F-measure', () => {
  it('matches one-to-one within ±50 ms', () => {
    expect(onsetFMeasure([1.04, 2.2], [1, 2])).toEqual({ f: 0.5, precision: 0.5, recall: 0.5, matched: 1 });
    // Two detections near one reference count once.
    expect(onsetFMeasure([0.99, 1.01], [1])).toMatchObject({ matched: 1, precision: 0.5, recall: 1 });
    expect(onsetFMeasure([], [1, 2]).f).toBe(0);
    expect(onsetFMeasure([], []).f).toBe(1);
  });

  it('finds the maximum matching where a greedy nearest pick would not', () => {
    // 0.96 is nearest to 1.0, but it must go to 0.92 so that 1.04 can take 1.0.
    expect(onsetFMeasure([0.96, 1.04], [0.92, 1.0]).matched).toBe(2);
  });
});
