import { describe, expect, it } from 'vitest';
import { blendTake } from '../../../engine/dsp/blend';

const tone = (hz: number, n: number, rate: number, a = 0.5) => new Float32Array(n).map((_, i) => a * Math.sin((2 * Math.PI * hz * i) / rate));

describe('dry/wet blend', () => {
  it('wet 1 is the take, wet 0 is the content at its place on the timeline, resampled', () => {
    const take = tone(440, 8000, 8000);
    // Content at 16 kHz: silence for the first second, then a 200 Hz tone.
    const content = new Float32Array(48000);
    content.set(tone(200, 32000, 16000, 0.4), 16000);
    expect(blendTake(take, 8000, [content], 16000, 1, 1, 1)).toEqual(take);
    const dry = blendTake(take, 8000, [content], 16000, 1, 0, 1);
    const expected = tone(200, 8000, 8000, 0.4);
    let err = 0;
    for (let i = 100; i < 7900; i++) err = Math.max(err, Math.abs(dry[i] - expected[i]));
    expect(err).toBeLessThan(0.01);
  });

  it('mixes in between with the dry gain, and a mix that would clip comes down to −1 dBFS', () => {
    const take = new Float32Array(100).fill(0.5);
    const content = [new Float32Array(100).fill(0.2), new Float32Array(100).fill(0.4)];
    const half = blendTake(take, 8000, content, 8000, 0, 0.5, 2);
    expect(half[50]).toBeCloseTo(0.5 * 0.5 + 0.5 * 2 * 0.3, 5);
    const loud = blendTake(new Float32Array(100).fill(0.9), 8000, [new Float32Array(100).fill(0.9)], 8000, 0, 0.5, 10);
    expect(Math.max(...loud)).toBeCloseTo(Math.pow(10, -1 / 20), 5);
  });

  it('content shorter than the take leaves silence after its end', () => {
    const out = blendTake(new Float32Array(1000), 8000, [new Float32Array(200).fill(0.3)], 8000, 0, 0, 1);
    expect(out[100]).toBeCloseTo(0.3, 2);
    expect(out[900]).toBe(0);
  });
});
