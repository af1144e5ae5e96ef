import { describe, expect, it } from 'vitest';
import { matchEq, MATCH_EQ_SHAPE } from '../../../bench/quality/match-eq';
import { matchEqGains } from '../../../engine/dsp/match-eq';
import { stft } from '../../../engine/dsp/stft';
import { ltasDistance, melSpectrogram } from '../../../bench/quality/spectral-distances';
import { noise, sine } from '../../engine/dsp/signals';
import { RATE, equalise, melTilt } from './signals';

describe('match EQ', () => {
  it('its gain on EQ’d noise is the EQ, and its output has the style’s long-term spectrum', () => {
    const content = noise(RATE * 4, 1);
    const tilt = melTilt(20);
    const style = equalise(noise(RATE * 4, 2), tilt);
    const g = matchEqGains(stft(content, MATCH_EQ_SHAPE), stft(style, MATCH_EQ_SHAPE));
    for (const hz of [200, 1000, 4000, 9000]) {
      const k = Math.round((hz * MATCH_EQ_SHAPE.nFft) / RATE);
      const db = 20 * Math.log10(g[k] / g[Math.round((1000 * MATCH_EQ_SHAPE.nFft) / RATE)]);
      // Within 1 dB: the 1/3-octave smoothing bends a curve that is straight in mel, not in octaves.
      expect(Math.abs(db - (tilt(hz) - tilt(1000))), `${hz} Hz`).toBeLessThan(1);
    }
    const out = matchEq(content, style);
    expect(out.length).toBe(content.length);
    const before = ltasDistance(melSpectrogram(content), melSpectrogram(style));
    const after = ltasDistance(melSpectrogram(out), melSpectrogram(style));
    expect(before).toBeGreaterThan(5);
    expect(after).toBeLessThan(0.5);
  });

  it('with the content as its own style it returns the content (peak-normalised to −1 dBFS)', () => {
    const content = sine(440, RATE, RATE).map((v, i) => v * 0.3 + 0.01 * Math.sin(i * 0.37));
    const out = matchEq(content, content);
    const peak = Math.max(...out.map(Math.abs));
    expect(20 * Math.log10(peak)).toBeCloseTo(-1, 3);
    const scale = peak / Math.max(...content.map(Math.abs));
    for (let i = 2048; i < content.length - 2048; i += 97) expect(out[i]).toBeCloseTo(content[i] * scale, 4);
  });
});
