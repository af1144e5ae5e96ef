import { describe, expect, it } from 'vitest';
import { PresetSchema, builtinPreset, type FrontEnd as FrontEndSpec } from '../../../../common/preset';
import { createFrontEnd } from '../../../../engine/objective/front-ends';
import { analyseSignal } from '../../../../engine/objective/front-ends/analyse';
import { hzToMel } from '../../../../engine/dsp/filterbank';
import { stft } from '../../../../engine/dsp/stft';

const SR = 22050;
const N_FFT = 1024;
const presetWith = (frontEnd: FrontEndSpec) => PresetSchema.parse({ ...builtinPreset('Quick preview')!, frontEnd });
const sine = (hz: number, seconds = 0.5, amp = 0.5) => Float32Array.from({ length: Math.round(SR * seconds) }, (_v, i) => amp * Math.sin((2 * Math.PI * hz * i) / SR));
const argmax = (v: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
};
/** The middle frame's row of X. */
const middleRow = (x: Float32Array, frames: number, bins: number) => x.subarray(Math.floor(frames / 2) * bins, Math.floor(frames / 2 + 1) * bins);

describe('front ends', () => {
  it('linear: a sine lands in its bin, and toMagnitude inverts analyse', () => {
    const p = presetWith({ kind: 'linear' });
    const a = analyseSignal(sine(1000), p);
    const row = middleRow(a.x, a.frames, a.bins);
    expect(argmax(row)).toBe(Math.round((1000 * N_FFT) / SR));
    const fe = createFrontEnd(p);
    const m = fe.toMagnitude(a.x, a.frames);
    expect(Math.log1p(m[500])).toBeCloseTo(a.x[500], 5);
  });

  it("analyses with the preset's window length, not the FFT size (Verma & Smith: 480 of 512 samples)", () => {
    const p = builtinPreset('Verma & Smith')!;
    const x = Float32Array.from({ length: 8000 }, (_v, i) => Math.sin(i * 0.3) * Math.sin(i * 0.0011));
    const a = analyseSignal(x, p);
    const own = stft(x, { nFft: 512, window: 480, hop: 160 });
    const full = stft(x, { nFft: 512, hop: 160 });
    expect(Array.from(a.spec.re)).toEqual(Array.from(own.re));
    expect(Array.from(a.spec.re)).not.toEqual(Array.from(full.re));
  });

  for (const hz of [220, 880, 3000]) {
    it(`mel: a ${hz} Hz sine peaks in the band around it`, () => {
      const p = presetWith({ kind: 'mel', bands: 64, fMin: 0, fMax: 0 });
      const fe = createFrontEnd(p);
      const a = analyseSignal(sine(hz), p, fe);
      expect(a.bins).toBe(64);
      const b = argmax(middleRow(a.x, a.frames, a.bins));
      const centres = fe.binHz!;
      // Its band's centre is the nearest centre to the tone (within one band's spacing in mel).
      const spacing = (hzToMel(SR / 2) - hzToMel(0)) / 65;
      expect(Math.abs(hzToMel(centres[b]) - hzToMel(hz))).toBeLessThan(spacing);
    });
  }

  it('logfreq: transposing a tone an octave up moves its peak by binsPerOctave bins', () => {
    const p = presetWith({ kind: 'logfreq', binsPerOctave: 12, fMin: 55 });
    const low = analyseSignal(sine(440), p);
    const high = analyseSignal(sine(880), p);
    const b1 = argmax(middleRow(low.x, low.frames, low.bins));
    const b2 = argmax(middleRow(high.x, high.frames, high.bins));
    expect(b2 - b1).toBe(12);
  });

  it('mfcc with every coefficient: toMagnitude gives back the mel spectrum', () => {
    const p = presetWith({ kind: 'mfcc', bands: 40, coefficients: 40, fMin: 0, fMax: 0 });
    const mel = presetWith({ kind: 'mel', bands: 40, fMin: 0, fMax: 0 });
    const signal = Float32Array.from(sine(300), (v, i) => v + 0.3 * Math.sin((2 * Math.PI * 2000 * i) / SR));
    const a = analyseSignal(signal, p);
    const mag = createFrontEnd(p).toMagnitude(a.x, a.frames);
    const viaMel = createFrontEnd(mel).toMagnitude(analyseSignal(signal, mel).x, a.frames);
    let err = 0;
    let norm = 0;
    for (let i = 0; i < mag.length; i++) [err, norm] = [err + (mag[i] - viaMel[i]) ** 2, norm + viaMel[i] ** 2];
    expect(Math.sqrt(err / norm)).toBeLessThan(1e-3);
    const box = createFrontEnd(p).bounds([a.x]);
    expect(box.lower).toBeLessThan(0);
  });
});
