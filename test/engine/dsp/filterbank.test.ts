import { describe, expect, it } from 'vitest';
import { applyFilterbank, bandPower, hzToMel, invertFilterbank, logFrequencyFilterbank, melFilterbank, melToHz } from '../../../engine/dsp/filterbank';
import { stft } from '../../../engine/dsp/stft';
import { sine } from './signals';

const SR = 22050;
const N_FFT = 1024;

describe('filterbanks, average weighting (the front ends)', () => {
  it('mel scale round trip and edges', () => {
    for (const hz of [0, 100, 1000, 8000]) expect(melToHz(hzToMel(hz))).toBeCloseTo(hz, 6);
    const fb = melFilterbank(40, 0, SR / 2, SR, N_FFT);
    expect(fb.bands).toBe(40);
    for (const r of fb.rows) expect(r.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // Every band catches at least one bin, even the narrow low ones.
    expect(fb.rows.every((r) => r.bins.length >= 1)).toBe(true);
  });

  it('a flat spectrum stays flat; the inverse reproduces the bands exactly and a smooth spectrum within 5 %', () => {
    const fb = melFilterbank(64, 0, SR / 2, SR, N_FFT);
    const bins = N_FFT / 2 + 1;
    const flat = new Float32Array(bins).fill(3);
    applyFilterbank(fb, flat, 1).forEach((v) => expect(v).toBeCloseTo(3, 5));
    const smooth = Float32Array.from({ length: bins }, (_v, k) => 1 + Math.exp(-(((k - 120) / 60) ** 2)) + 0.5 * Math.cos(k / 70));
    const back = invertFilterbank(fb, applyFilterbank(fb, smooth, 1), 1);
    expect(back.every((v) => v >= 0)).toBe(true);
    // Compare through the filterbank (what X sees) and directly above the lowest bands.
    const again = applyFilterbank(fb, back, 1);
    applyFilterbank(fb, smooth, 1).forEach((v, b) => expect(Math.abs(again[b] - v) / v).toBeLessThan(1e-4));
    let err = 0;
    let norm = 0;
    for (let k = 40; k < bins; k++) [err, norm] = [err + (back[k] - smooth[k]) ** 2, norm + smooth[k] ** 2];
    // The bands lose detail (64 numbers for 513 bins): the spectrum itself comes back approximately.
    expect(Math.sqrt(err / norm)).toBeLessThan(0.05);
  });

  it('log-frequency bands are spaced binsPerOctave per octave from fMin', () => {
    const fb = logFrequencyFilterbank(24, 55, SR, 4096);
    expect(fb.centres[0]).toBeCloseTo(55, 6);
    expect(fb.centres[24] / fb.centres[0]).toBeCloseTo(2, 6);
    expect(fb.centres[fb.bands - 1]).toBeLessThanOrEqual(SR / 2);
  });
});

describe('mel filterbank, peak weighting (the onset detector and the quality metrics)', () => {
  it('uses the HTK mel scale: 1000 Hz ≈ 1000 mel', () => {
    expect(hzToMel(1000)).toBeCloseTo(1000, 0);
  });

  it('has equally spaced centres in mel with triangles peaking near 1', () => {
    const bank = melFilterbank(64, 0, 11025, 22050, 2048, 'peak');
    const step = hzToMel(11025) / 65;
    Array.from(bank.centres, hzToMel).forEach((m, b) => expect(m).toBeCloseTo((b + 1) * step, 2));
    for (const r of bank.rows) {
      expect(Math.max(...r.weights)).toBeLessThanOrEqual(1);
      expect(Math.max(...r.weights)).toBeGreaterThan(0.4);
    }
  });

  it('puts a sine at a band centre into that band, far above its non-neighbours', () => {
    const bank = melFilterbank(64, 0, 11025, 22050, 2048, 'peak');
    const b = 40;
    const f = Math.round((bank.centres[b] * 2048) / 22050) * (22050 / 2048); // on a bin
    const p = bandPower(stft(sine(f, 22050, 8192), { nFft: 2048, hop: 512 }), bank);
    const row = Array.from(p.subarray(8 * 64, 9 * 64));
    expect(row.indexOf(Math.max(...row))).toBeGreaterThanOrEqual(b - 1);
    expect(row.indexOf(Math.max(...row))).toBeLessThanOrEqual(b + 1);
    expect(row[b + 3] / row[b]).toBeLessThan(1e-6);
  });

  it('refuses no bands, an empty range, and a spectrogram of another size', () => {
    expect(() => melFilterbank(0, 0, 11025, 22050, 1024)).toThrow(/at least one band/);
    expect(() => melFilterbank(16, 500, 400, 22050, 1024)).toThrow(/fMin < fMax/);
    const bank = melFilterbank(16, 0, 11025, 22050, 1024);
    expect(() => bandPower(stft(sine(440, 22050, 4096), { nFft: 2048, hop: 512 }), bank)).toThrow(/does not fit/);
  });
});
