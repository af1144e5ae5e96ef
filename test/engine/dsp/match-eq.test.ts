import { describe, expect, it } from 'vitest';
import { matchEq, matchEqGains, smoothSpectrum } from '../../../engine/dsp/match-eq';
import { stft } from '../../../engine/dsp/stft';
import { noise, sine } from './signals';

describe('match EQ (engine)', () => {
  it('smooths over ±1/6 octave: a flat spectrum stays flat, one bin spreads over its neighbours', () => {
    expect(Array.from(smoothSpectrum(new Float64Array(100).fill(2)))).toEqual(new Array(100).fill(2));
    const spike = new Float64Array(1025);
    spike[600] = 1;
    const s = smoothSpectrum(spike);
    // Bin k averages bins ⌊k/2^(1/6)⌋ … ⌈k·2^(1/6)⌉, so bin 600 reaches k with k/1.1225 ≤ 600 ≤ 1.1225·k.
    expect(s[600]).toBeCloseTo(1 / (Math.ceil(600 * 2 ** (1 / 6)) - Math.floor(600 / 2 ** (1 / 6)) + 1), 12);
    expect(s[540]).toBeGreaterThan(0);
    expect(s[660]).toBeGreaterThan(0);
    expect(s[530]).toBe(0);
    expect(s[680]).toBe(0);
  });

  it('averages at least one bin either side, at the bottom of the spectrum too', () => {
    const p = Float64Array.from([3, 0, 0, 0, 0, 0]);
    const s = smoothSpectrum(p);
    expect(s[0]).toBeCloseTo(1.5, 12);
    expect(s[1]).toBeCloseTo(1, 12);
    expect(s[2]).toBe(0);
  });

  it('keeps a bin one input lacks within ±60 dB, and silence in gives silence out', () => {
    const shape = { nFft: 1024, hop: 256 };
    const content = stft(noise(22050, 3), shape);
    const style = stft(sine(440, 22050, 22050), shape);
    const g = matchEqGains(content, style);
    // Relative to the level ratio of the two smoothed spectra's peaks, every gain is within ±60 dB.
    const peak = (s: typeof content) =>
      Math.max(
        ...smoothSpectrum(
          Float64Array.from({ length: s.bins }, (_v, k) => {
            let p = 0;
            for (let t = 0; t < s.frames; t++) p += s.re[t * s.bins + k] ** 2 + s.im[t * s.bins + k] ** 2;
            return p / s.frames;
          }),
        ),
      );
    const level = Math.sqrt(peak(style) / peak(content));
    expect(g.every((v) => v / level >= 1e-3 * 0.999 && v / level <= 1e3 * 1.001)).toBe(true);
    expect(Math.max(...g) / Math.min(...g)).toBeGreaterThan(1e3); // the tone's bins are boosted far above the rest
    const silent = stft(new Float32Array(22050), shape);
    const out = matchEq(silent, style);
    expect(out.re.every((v) => v === 0) && out.im.every((v) => v === 0)).toBe(true);
    expect(Array.from(matchEqGains(content, silent)).every((v) => v === 1)).toBe(true);
  });
});
