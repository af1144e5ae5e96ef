import { describe, expect, it } from 'vitest';
import { mixdown } from '../../../engine/dsp/mixdown';

describe('mixdown', () => {
  it('averages channels sample by sample', () => {
    const out = mixdown([Float32Array.of(1, 0, 0.5, -1), Float32Array.of(0, 1, 0.5, -1), Float32Array.of(0.5, -0.5, 0.5, -1)]);
    expect(Array.from(out)).toEqual([0.5, 0.5 / 3, 0.5, -1].map(Math.fround));
  });

  it('keeps an identical full-scale signal at full scale and cancels opposite polarity', () => {
    const a = Float32Array.of(1, -1, 0.25);
    expect(Array.from(mixdown([a, a]))).toEqual([1, -1, 0.25]);
    expect(Array.from(mixdown([a, a.map((v) => -v)]))).toEqual([0, 0, 0]);
  });

  it('copies a single channel', () => {
    const a = Float32Array.of(0.1, 0.2);
    const out = mixdown([a]);
    expect(out).toEqual(a);
    expect(out).not.toBe(a);
  });

  it('refuses no channels and unequal lengths', () => {
    expect(() => mixdown([])).toThrow(/no channels/);
    expect(() => mixdown([new Float32Array(3), new Float32Array(4)])).toThrow(/different lengths/);
  });
});
