import { describe, expect, it } from 'vitest';
import { StreamResampler, resample } from '../../../engine/dsp/resample';
import { GramophoneError } from '../../../common/errors';

const tone = (hz: number, rate: number, n: number, amp = 1) => Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));

/** Amplitude of the component at `hz`, by projection over [from, to) (whole periods make it exact). */
function amplitudeAt(y: Float32Array, hz: number, rate: number, from: number, to: number): number {
  let s = 0;
  let c = 0;
  for (let i = from; i < to; i++) {
    const ph = (2 * Math.PI * hz * i) / rate;
    s += y[i] * Math.sin(ph);
    c += y[i] * Math.cos(ph);
  }
  return (2 / (to - from)) * Math.hypot(s, c);
}

function rms(y: Float32Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += y[i] * y[i];
  return Math.sqrt(s / (to - from));
}

const db = (x: number) => 20 * Math.log10(x);

describe('resample', () => {
  it('keeps a 1 kHz sine at its frequency and amplitude going 44.1 → 22.05 kHz', () => {
    const y = resample(tone(1000, 44100, 44100, 0.8), 44100, 22050);
    expect(y.length).toBe(22050);
    // 1 kHz has exactly 1000 periods in 22050 samples: [2205, 19845) is 800 of them.
    const amp = amplitudeAt(y, 1000, 22050, 2205, 19845);
    expect(Math.abs(db(amp / 0.8))).toBeLessThan(0.1);
    // Its frequency: the same sine at the new rate fits sample for sample.
    const ideal = tone(1000, 22050, 22050, 0.8);
    let err = 0;
    for (let i = 2205; i < 19845; i++) err = Math.max(err, Math.abs(y[i] - ideal[i]));
    expect(err).toBeLessThan(1e-3);
  });

  it('attenuates a 15 kHz tone by more than 60 dB going to 22.05 kHz (no aliasing to 7.05 kHz)', () => {
    const y = resample(tone(15000, 44100, 44100), 44100, 22050);
    const interior = [1000, 21050] as const;
    expect(db(rms(y, ...interior) / Math.SQRT1_2)).toBeLessThan(-60);
    expect(db(amplitudeAt(y, 7050, 22050, ...interior))).toBeLessThan(-60);
  });

  it('is flat to 0.1 dB across the passband (100 Hz – 9 kHz at 44.1 → 22.05 kHz)', () => {
    for (const hz of [100, 2000, 5000, 8000, 9000]) {
      const y = resample(tone(hz, 44100, 22050), 44100, 22050);
      expect(Math.abs(db(amplitudeAt(y, hz, 22050, 2205, 8820)))).toBeLessThan(0.1);
    }
  });

  it('suppresses images when upsampling 22.05 → 44.1 kHz', () => {
    const y = resample(tone(5000, 22050, 22050), 22050, 44100);
    expect(Math.abs(db(amplitudeAt(y, 5000, 44100, 4410, 39690)))).toBeLessThan(0.1);
    expect(db(amplitudeAt(y, 22050 - 5000, 44100, 4410, 39690))).toBeLessThan(-80);
  });

  it('round-trips 44.1 → 48 → 44.1 kHz with error below −80 dB away from the ends', () => {
    const n = 22050;
    const x = new Float32Array(n);
    for (const [hz, a] of [
      [440, 0.3],
      [3100, 0.25],
      [12000, 0.2],
      [17500, 0.15],
    ]) {
      const t = tone(hz, 44100, n, a);
      for (let i = 0; i < n; i++) x[i] += t[i];
    }
    const back = resample(resample(x, 44100, 48000), 48000, 44100);
    expect(back.length).toBe(n);
    let err = 0;
    for (let i = 1000; i < n - 1000; i++) err = Math.max(err, Math.abs(back[i] - x[i]));
    expect(db(err)).toBeLessThan(-80);
  });

  it('keeps DC at unity gain, in both directions', () => {
    const ones = new Float32Array(8000).fill(1);
    for (const [from, to] of [
      [44100, 16000],
      [16000, 44100],
      [8000, 192000],
      [192000, 8000],
    ]) {
      const y = resample(ones, from, to);
      const mid = y[Math.floor(y.length / 2)];
      expect(Math.abs(mid - 1)).toBeLessThan(1e-4);
    }
  });

  it('handles awkward ratios (44.1 → 44.101 kHz) through the table kernel', () => {
    const y = resample(tone(1000, 44100, 44100, 0.5), 44100, 44101);
    expect(y.length).toBe(44101);
    const ideal = tone(1000, 44101, 44101, 0.5);
    let err = 0;
    for (let i = 2000; i < 42000; i++) err = Math.max(err, Math.abs(y[i] - ideal[i]));
    expect(db(err / 0.5)).toBeLessThan(-80);
  });

  it('returns round(n · to / from) samples', () => {
    for (const n of [0, 1, 2, 3, 99, 101, 44099, 12345]) {
      for (const [from, to] of [
        [44100, 22050],
        [44100, 48000],
        [48000, 44100],
        [8000, 192000],
        [192000, 8000],
        [22050, 16000],
        [44100, 44101],
      ]) {
        expect(resample(new Float32Array(n), from, to).length).toBe(Math.round((n * to) / from));
      }
    }
  });

  it('returns a copy at equal rates and refuses bad rates', () => {
    const x = Float32Array.of(1, 2, 3);
    const y = resample(x, 44100, 44100);
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
    for (const bad of [0, -1, 44100.5, NaN, Infinity]) {
      expect(() => resample(x, bad, 44100)).toThrow(GramophoneError);
      expect(() => resample(x, 44100, bad)).toThrow(/rate/);
    }
  });
});

describe('StreamResampler', () => {
  const noise = (n: number) => {
    let s = 7;
    return Float32Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647), s / 2147483647 - 0.5));
  };

  it('gives sample for sample what resample gives, whatever the block sizes, drained or not', () => {
    // Long enough for many kernel lengths (K ≈ 130 input samples) and several 4096-sample blocks.
    const x = noise(10007);
    for (const [from, to] of [
      [44100, 22050],
      [48000, 22050],
      [22050, 44100],
      [44100, 44101],
      [16000, 16000],
    ]) {
      const whole = from === to ? x : resample(x, from, to);
      for (const block of [3, 37, 4096, 100_000]) {
        for (const expected of [x.length, undefined]) {
          const r = new StreamResampler(from, to, expected);
          for (let i = 0; i < x.length; i += block) r.push(x.subarray(i, i + block));
          expect(r.end()).toEqual(whole);
        }
        // Drained after every block (a writer streaming to a file): the pieces join into the same output.
        const r = new StreamResampler(from, to);
        const pieces: Float32Array[] = [];
        for (let i = 0; i < x.length; i += block) {
          r.push(x.subarray(i, i + block));
          pieces.push(r.drain());
        }
        pieces.push(r.end());
        const joined = new Float32Array(pieces.reduce((n, p) => n + p.length, 0));
        pieces.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
        expect(joined).toEqual(whole);
      }
    }
  });

  it('keeps only a few kernel lengths of input between blocks', () => {
    const r = new StreamResampler(48000, 22050, 48000 * 4);
    const x = noise(48000);
    for (let k = 0; k < 4; k++) r.push(x);
    expect((r as unknown as { tail: Float32Array }).tail.length).toBeLessThan(400);
    expect(r.end().length).toBe(22050 * 4);
  });

  it('ends empty input with empty output', () => {
    expect(new StreamResampler(44100, 22050).end()).toEqual(new Float32Array(0));
  });
});
