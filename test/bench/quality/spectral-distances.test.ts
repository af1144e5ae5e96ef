import { describe, expect, it } from 'vitest';
import { frameLogMelDistance, ltasDistance, melSpectrogram, mfccDistance } from '../../../bench/quality/spectral-distances';
import { melFilterbank } from '../../../engine/dsp/filterbank';
import { createRng } from '../../../engine/random';
import { noise, sine } from '../../engine/dsp/signals';
import { RATE, equalise, melTilt, scaled } from './signals';

const std = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};

describe('timbre distances', () => {
  const white = noise(RATE * 4, 7);
  const base = melSpectrogram(white);

  it('are 0 for identical signals and for a gain change', () => {
    const louder = melSpectrogram(scaled(white, 0.05));
    for (const d of [ltasDistance, mfccDistance, frameLogMelDistance]) {
      expect(d(base, base)).toBe(0);
      expect(d(louder, base)).toBeLessThan(1e-3);
      expect(d(base, louder)).toBeLessThan(1e-3);
    }
  });

  it('LTAS distance of EQ’d noise ≈ the dB RMS of the EQ over the bands, after its mean', () => {
    const tilt = melTilt(24);
    const eqd = melSpectrogram(equalise(white, tilt));
    const centres = Array.from(melFilterbank(64, 0, RATE / 2, RATE, 2048).centres);
    const expected = std(centres.map(tilt)); // ≈ 24 dB ramp: 24·(64/65)/√12 ≈ 6.8 dB
    expect(expected).toBeGreaterThan(6.5);
    expect(ltasDistance(eqd, base)).toBeCloseTo(expected, 0);
    expect(Math.abs(ltasDistance(eqd, base) - expected)).toBeLessThan(0.25);
    // A smooth EQ survives the cepstral smoothing to c1–c19 almost whole.
    expect(Math.abs(mfccDistance(eqd, base) - expected)).toBeLessThan(0.4);
    // Frame by frame the same noise is compared with itself, so only the EQ shows.
    expect(Math.abs(frameLogMelDistance(eqd, base) - expected)).toBeLessThan(0.25);
  });

  it('a band-limited EQ counts in proportion: +6 dB on one third of the bands', () => {
    const centres = Array.from(melFilterbank(64, 0, RATE / 2, RATE, 2048).centres);
    const edge = (centres[20] + centres[21]) / 2;
    const eqd = melSpectrogram(equalise(white, (f) => (f < edge ? 6 : 0)));
    // 21 bands at +6, 43 at 0: std = 6·√(p(1 − p)), p = 21/64; the step is smeared over a band or two.
    expect(ltasDistance(eqd, base)).toBeGreaterThan(6 * Math.sqrt((20 / 64) * (44 / 64)) - 0.3);
    expect(ltasDistance(eqd, base)).toBeLessThan(6 * Math.sqrt((22 / 64) * (42 / 64)) + 0.3);
  });

  it('frame-wise: time alignment counts, silence vs near-silence is bounded by the floor', () => {
    const n = RATE * 2;
    const tone = sine(440, RATE, n).map((v, i) => (i < n / 2 ? v : 0)); // 1 s of A4, 1 s of silence
    const truth = melSpectrogram(tone);
    const hiss = noise(n, 3);
    const nearSilence = melSpectrogram(tone.map((v, i) => (i < n / 2 ? v : 1e-4 * hiss[i]))); // −80 dBFS hiss in the rest
    expect(frameLogMelDistance(nearSilence, truth)).toBeLessThan(0.5);
    const loudRest = melSpectrogram(tone.map((v, i) => (i < n / 2 ? v : 0.3 * hiss[i])));
    expect(frameLogMelDistance(loudRest, truth)).toBeGreaterThan(10);
    const late = melSpectrogram(tone.map((_, i) => (i >= n / 2 ? Math.sin((2 * Math.PI * 440 * i) / RATE) : 0)));
    // Only the tone's two or three bands differ, by ~60 dB, in half the frames.
    expect(frameLogMelDistance(late, truth)).toBeGreaterThan(8);
    expect(ltasDistance(late, truth)).toBeLessThan(0.5); // the long-term spectrum cannot see time
    const silent = melSpectrogram(new Float32Array(n));
    const d = frameLogMelDistance(silent, truth);
    expect(Number.isFinite(d)).toBe(true);
    expect(d).toBeLessThanOrEqual(60);
  });

  it('frame-wise: the level offset is the exact best fit over the cells where the truth plays', () => {
    const rng = createRng(5);
    const frames = 6;
    const bands = 4;
    const cells = () => Float32Array.from({ length: frames * bands }, () => Math.pow(10, (rng.next() * 70 - 70) / 10));
    for (let trial = 0; trial < 5; trial++) {
      const take = { frames, bands, power: cells() };
      const truth = { frames, bands, power: cells() };
      const dB = (p: number) => 10 * Math.log10(p);
      const F = dB(Math.max(...truth.power)) - 60;
      const T = Array.from(truth.power, (p) => Math.max(dB(p), F));
      const cost = (o: number, only: boolean) => T.reduce((s, t, i) => (only && t <= F ? s : s + (Math.max(dB(take.power[i]) + o, F) - t) ** 2), 0);
      let best = { o: 0, c: Infinity };
      for (let o = -100; o <= 100; o += 0.002) {
        const c = cost(o, true);
        if (c < best.c) best = { o, c };
      }
      expect(frameLogMelDistance(take, truth)).toBeCloseTo(Math.sqrt(cost(best.o, false) / T.length), 3);
    }
  });

  it('NaN samples read as silence, and lengths must match frame-wise', () => {
    const withNan = white.slice();
    withNan[100] = NaN;
    expect(Number.isFinite(ltasDistance(melSpectrogram(withNan), base))).toBe(true);
    expect(() => frameLogMelDistance(melSpectrogram(white.subarray(0, RATE)), base)).toThrow(/same length/);
  });
});
