import { describe, expect, it } from 'vitest';
import { SpectrogramSchema } from '../../../common/audio';
import { displayHop, displaySpectrogram } from '../../../engine/dsp/display-spectrogram';
import { frameCount } from '../../../engine/dsp/stft';
import { sine } from './signals';

describe('displaySpectrogram', () => {
  it('reads a full-scale sine at a bin centre as 0 dB, −6 dB at half scale', () => {
    const sr = 48000;
    const n = 1024;
    const k = 64; // 3000 Hz
    for (const [amp, db] of [
      [1, 0],
      [0.5, -6.0206],
    ]) {
      const s = displaySpectrogram(sine((k * sr) / n, sr, sr, amp), sr, n, 256);
      expect(SpectrogramSchema.safeParse(s).success).toBe(true);
      for (let t = 4; t < s.frames - 4; t++) {
        expect(s.db[t * s.bins + k]).toBeCloseTo(db, 2);
        // Hann's neighbours sit 6 dB down; far bins at the floor region.
        expect(s.db[t * s.bins + k + 1]).toBeCloseTo(db - 6.0206, 1);
        expect(s.db[t * s.bins + k + 20]).toBeLessThan(-100);
      }
    }
  });

  it('keeps the requested hop when the frames fit', () => {
    const x = sine(440, 22050, 22050);
    const s = displaySpectrogram(x, 22050, 512, 128, 1000);
    expect(s.hop).toBe(128);
    expect(s.frames).toBe(frameCount(22050, 128));
    expect(s.db.length).toBe(s.frames * s.bins);
    expect(s.bins).toBe(257);
    expect(s.sampleRate).toBe(22050);
    expect(s.nFft).toBe(512);
  });

  it('widens the hop to stay within maxFrames, as little as possible', () => {
    const x = sine(440, 44100, 441000);
    for (const maxFrames of [1, 2, 100, 800, 862]) {
      const s = displaySpectrogram(x, 44100, 2048, 512, maxFrames);
      expect(s.frames).toBeLessThanOrEqual(maxFrames);
      expect(s.frames).toBe(frameCount(x.length, s.hop));
      if (s.hop > 512) expect(frameCount(x.length, s.hop - 1)).toBeGreaterThan(maxFrames);
    }
    expect(displayHop(441000, 512, 862)).toBe(512);
    expect(displayHop(441000, 512, 861)).toBeGreaterThan(512);
  });

  it('handles an empty signal and refuses a zero frame budget', () => {
    const s = displaySpectrogram(new Float32Array(0), 44100, 1024, 256);
    expect(s.frames).toBe(0);
    expect(s.db.length).toBe(0);
    expect(() => displaySpectrogram(sine(1, 100, 100), 100, 64, 16, 0)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
