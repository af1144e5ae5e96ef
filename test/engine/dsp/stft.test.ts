import { describe, expect, it } from 'vitest';
import { frameCount, istft, magnitude, stft } from '../../../engine/dsp/stft';
import { padReflect, reflectIndex } from '../../../engine/dsp/stft-frames';
import { hannWindow } from '../../../engine/dsp/window';
import { maxAbsDiff } from '../../helpers/compare';
import { noise, sine } from './signals';

describe('reflect padding', () => {
  it('follows numpy/librosa "reflect" (edge sample not repeated)', () => {
    const x = Float32Array.from([1, 2, 3, 4, 5]);
    expect(Array.from(padReflect(x, 2))).toEqual([3, 2, 1, 2, 3, 4, 5, 4, 3]);
    // Pads longer than the signal keep folding, as numpy does.
    expect(Array.from(padReflect(Float32Array.from([1, 2, 3]), 4))).toEqual([1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3]);
    expect(reflectIndex(-1, 1)).toBe(0);
  });
});

describe('stft', () => {
  it('has 1 + floor(length / hop) frames of nFft/2 + 1 bins', () => {
    expect(frameCount(441000, 512)).toBe(862);
    const s = stft(noise(1000, 1), { nFft: 256, hop: 64 });
    expect(s.frames).toBe(1 + Math.floor(1000 / 64));
    expect(s.bins).toBe(129);
    expect(s.re.length).toBe(s.frames * s.bins);
    expect(s.im.length).toBe(s.frames * s.bins);
  });

  /**
   * stft(x) against an O(N²) DFT of the reflect-padded frames, both written out independently
   * of the implementation; the window is a periodic Hann of `win` samples centred in the
   * n-point frame, zero outside.
   */
  function expectDirectDft(n: number, win: number, hop: number, len: number): void {
    const x = noise(len, n + win + len);
    const s = stft(x, { nFft: n, window: win, hop });
    const xp: number[] = [];
    for (let i = -n / 2; i < len + n / 2; i++) xp.push(x[i < 0 ? -i : i >= len ? 2 * (len - 1) - i : i]);
    const left = Math.floor((n - win) / 2);
    const w = Array.from({ length: n }, (_, i) => (i < left || i >= left + win ? 0 : 0.5 - 0.5 * Math.cos((2 * Math.PI * (i - left)) / win)));
    for (let t = 0; t < s.frames; t++) {
      for (let k = 0; k <= n / 2; k++) {
        let re = 0;
        let im = 0;
        for (let i = 0; i < n; i++) {
          const v = xp[t * hop + i] * w[i];
          re += v * Math.cos((-2 * Math.PI * k * i) / n);
          im += v * Math.sin((-2 * Math.PI * k * i) / n);
        }
        expect(Math.abs(s.re[t * s.bins + k] - re)).toBeLessThan(1e-4);
        expect(Math.abs(s.im[t * s.bins + k] - im)).toBeLessThan(1e-4);
      }
    }
  }

  it('matches a direct O(N²) DFT of the windowed, centred, reflect-padded frames', () => {
    for (const [n, hop, len] of [
      [32, 8, 101],
      [64, 16, 77],
      [16, 4, 29],
      [10, 3, 23],
    ]) {
      expectDirectDft(n, n, hop, len);
    }
  });

  it('with a window shorter than the FFT, windows each frame by a Hann of that length centred in it (librosa / torch.stft)', () => {
    for (const [n, win, hop, len] of [
      [32, 24, 8, 101],
      [16, 9, 4, 29],
      [64, 30, 10, 77],
    ]) {
      expectDirectDft(n, win, hop, len);
    }
  });

  it('puts a sine at a bin centre into that bin, with magnitude A·nFft/4', () => {
    const sr = 16000;
    const n = 1024;
    const k = 37;
    const s = stft(sine((k * sr) / n, sr, 8000, 0.5), { nFft: n, hop: 256 });
    const mag = magnitude(s);
    for (let t = 4; t < s.frames - 4; t++) {
      let best = 0;
      for (let f = 1; f < s.bins; f++) if (mag[t * s.bins + f] > mag[t * s.bins + best]) best = f;
      expect(best).toBe(k);
      expect(mag[t * s.bins + k]).toBeCloseTo((0.5 * n) / 4, 1);
      // Hann leaks into the two neighbours only (at half height); the rest is far below.
      expect(mag[t * s.bins + k + 1] / mag[t * s.bins + k]).toBeCloseTo(0.5, 2);
      expect(mag[t * s.bins + k + 5] / mag[t * s.bins + k]).toBeLessThan(1e-3);
    }
  });

  it('turns an impulse into a flat magnitude in every frame (1 where the frame is centred on it)', () => {
    const n = 512;
    const hop = 128;
    const x = new Float32Array(4096);
    const at = 16 * hop;
    x[at] = 1;
    const s = stft(x, { nFft: n, hop });
    const mag = magnitude(s);
    const w = hannWindow(n);
    for (let t = 0; t < s.frames; t++) {
      const row = mag.subarray(t * s.bins, (t + 1) * s.bins);
      const offset = at - t * hop + n / 2;
      const expected = offset >= 0 && offset < n ? w[offset] : 0;
      for (let f = 0; f < s.bins; f++) expect(Math.abs(row[f] - expected)).toBeLessThan(1e-6);
    }
    expect(mag[16 * s.bins + 100]).toBeCloseTo(1, 6);
  });

  it('refuses bad shapes and empty signals with INVALID_INPUT', () => {
    expect(() => stft(noise(100, 1), { nFft: 63, hop: 16 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => stft(noise(100, 1), { nFft: 64, hop: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => stft(new Float32Array(0), { nFft: 64, hop: 16 })).toThrow(/empty/);
    expect(() => stft(noise(100, 1), { nFft: 64, window: 65, hop: 16 })).toThrow(/window must be .* 1 to the FFT size 64, not 65/);
    expect(() => stft(noise(100, 1), { nFft: 64, window: 0, hop: 16 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('istft', () => {
  const cases: Array<[number, number, number]> = [
    [2048, 512, 44101],
    [1024, 256, 9999],
    [512, 128, 5003],
    [256, 128, 1001],
    [64, 16, 37],
    [96, 24, 777],
    [100, 25, 501],
    [4096, 1024, 20001],
  ];
  for (const [nFft, hop, len] of cases) {
    it(`round-trips nFft ${nFft}, hop ${hop}, ${len} samples with error < 1e-5`, () => {
      const x = noise(len, nFft + hop);
      const y = istft(stft(x, { nFft, hop }), { nFft, hop }, len);
      expect(y.length).toBe(len);
      expect(maxAbsDiff(x, y)).toBeLessThan(1e-5);
    });
  }

  it("round-trips Verma & Smith's geometry (16 kHz: a 480-sample window in a 512-point FFT, hop 160) with error < 1e-5", () => {
    const shape = { nFft: 512, window: 480, hop: 160 };
    const x = noise(16001, 7);
    const y = istft(stft(x, shape), shape, x.length);
    expect(maxAbsDiff(x, y)).toBeLessThan(1e-5);
  });

  it('returns zeros past the last frame when asked for more samples than the frames cover', () => {
    const shape = { nFft: 64, hop: 16 };
    const y = istft(stft(noise(100, 2), shape), shape, 200);
    expect(y.length).toBe(200);
    expect(maxAbsDiff(y.subarray(150), new Float32Array(50))).toBe(0);
  });

  it('refuses a spectrogram whose bins do not fit the FFT size', () => {
    const s = stft(noise(100, 1), { nFft: 64, hop: 16 });
    expect(() => istft(s, { nFft: 128, hop: 16 }, 100)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
