import { describe, expect, it } from 'vitest';
import { griffinLim } from '../../../engine/dsp/griffin-lim';
import { pghiPhase } from '../../../engine/dsp/pghi';
import { magnitude, stft, type StftShape } from '../../../engine/dsp/stft';

/** A melody of harmonic notes with a glide and a click: partials, transients and a moving pitch. */
function music(rate: number, seconds: number): Float32Array {
  const n = Math.round(rate * seconds);
  const x = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const f0 = 220 * 2 ** ((Math.floor(t * 4) % 5) / 12) * (1 + 0.02 * Math.sin(2 * Math.PI * 5 * t));
    phase += (2 * Math.PI * f0) / rate;
    x[i] = 0.4 * Math.sin(phase) + 0.2 * Math.sin(2 * phase) + 0.1 * Math.sin(3 * phase) + (i % Math.round(rate / 2) === 0 ? 0.8 : 0);
  }
  return x;
}

const db = (v: number) => 20 * Math.log10(v);

describe('phase-gradient heap integration', () => {
  for (const shape of [
    { nFft: 1024, hop: 256, window: 1024 },
    { nFft: 512, hop: 160, window: 480 },
  ] satisfies StftShape[]) {
    it(`gives a phase close to the true one's consistency (nFft ${shape.nFft}, window ${shape.window}, hop ${shape.hop})`, async () => {
      const x = music(16000, 2);
      const spec = stft(x, shape);
      const mag = magnitude(spec);
      const phase = pghiPhase(mag, spec.frames, shape, 1);
      expect(phase.re.length).toBe(spec.frames * spec.bins);
      for (let i = 0; i < phase.re.length; i += 97) expect(Math.hypot(phase.re[i], phase.im[i])).toBeCloseTo(1, 5);
      const opts = { momentum: 0.99, length: x.length, seed: 3 };
      const fromPghi = await griffinLim(mag, spec.frames, shape, { ...opts, iterations: 0, initialPhase: phase, threads: 1 });
      const fromRandom = await griffinLim(mag, spec.frames, shape, { ...opts, iterations: 0, threads: 1 });
      // Without a single Griffin-Lim step, the integrated phase is already most of the way.
      expect(db(fromPghi.spectralConvergence)).toBeLessThan(-15);
      expect(db(fromRandom.spectralConvergence)).toBeGreaterThan(-6);
      // And 20 steps from it beat 20 from a random phase by a wide margin.
      const pghi20 = await griffinLim(mag, spec.frames, shape, { ...opts, iterations: 20, initialPhase: phase, threads: 1 });
      const random20 = await griffinLim(mag, spec.frames, shape, { ...opts, iterations: 20, threads: 1 });
      expect(db(pghi20.spectralConvergence)).toBeLessThan(db(random20.spectralConvergence) - 3);
    });
  }

  it('is deterministic, and a silent spectrogram gets a seeded random phase', () => {
    const shape = { nFft: 256, hop: 64 };
    const mag = new Float32Array(10 * 129);
    const a = pghiPhase(mag, 10, shape, 4);
    const b = pghiPhase(mag, 10, shape, 4);
    expect(Array.from(a.re)).toEqual(Array.from(b.re));
    expect(Array.from(pghiPhase(mag, 10, shape, 5).re)).not.toEqual(Array.from(a.re));
  });
});
