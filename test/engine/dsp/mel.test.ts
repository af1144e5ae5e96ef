import { describe, expect, it } from 'vitest';
import { hzToMel, melFilterbank, melPower, melToHz } from '../../../engine/dsp/mel';
import { stft } from '../../../engine/dsp/stft';
import { sine } from './signals';

describe('mel filterbank', () => {
  it('uses the HTK mel scale: 1000 Hz ≈ 1000 mel, and melToHz inverts hzToMel', () => {
    expect(hzToMel(1000)).toBeCloseTo(1000, 0);
    for (const f of [0, 50, 440, 5000, 11025]) expect(melToHz(hzToMel(f))).toBeCloseTo(f, 6);
  });

  it('has equally spaced centres in mel with triangles no higher than 1', () => {
    const bank = melFilterbank(64, 2048, 22050);
    const mels = Array.from(bank.centresHz, hzToMel);
    const step = hzToMel(11025) / 65;
    mels.forEach((m, b) => expect(m).toBeCloseTo((b + 1) * step, 6));
    for (const w of bank.weights) {
      expect(Math.max(...w)).toBeLessThanOrEqual(1);
      expect(Math.max(...w)).toBeGreaterThan(0.4);
    }
  });

  it('puts a sine at a band centre into that band, far above its non-neighbours', () => {
    const bank = melFilterbank(64, 2048, 22050);
    const b = 40;
    const f = Math.round((bank.centresHz[b] * 2048) / 22050) * (22050 / 2048); // on a bin
    const p = melPower(stft(sine(f, 22050, 8192), { nFft: 2048, hop: 512 }), bank);
    const row = Array.from(p.subarray(8 * 64, 9 * 64));
    expect(row.indexOf(Math.max(...row))).toBeGreaterThanOrEqual(b - 1);
    expect(row.indexOf(Math.max(...row))).toBeLessThanOrEqual(b + 1);
    expect(row[b + 3] / row[b]).toBeLessThan(1e-6);
  });

  it('refuses bands too narrow to hold a bin, and a spectrogram of another size', () => {
    expect(() => melFilterbank(128, 256, 22050)).toThrow(/holds no FFT bin/);
    expect(() => melFilterbank(0, 1024, 22050)).toThrow(/at least one band/);
    const bank = melFilterbank(16, 1024, 22050);
    expect(() => melPower(stft(sine(440, 22050, 4096), { nFft: 2048, hop: 512 }), bank)).toThrow(/does not fit/);
  });
});
