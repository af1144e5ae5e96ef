/**
 * BS.1770-4 integrated loudness against the standard's own filter table and the EBU Tech
 * 3341 test signals that can be built from sines: levels, both gates and channel weights.
 */
import { describe, expect, it } from 'vitest';
import { channelWeights, integratedLoudness, kWeightingFilters, samplePeak } from '../../../engine/dsp/loudness';
import { joinArrays } from '../../fixtures/wav/make-wav';

/** A sine of `hz` whose peak is `dbfs` dBFS, `seconds` long (EBU 3341 levels are peak levels). */
function sine(hz: number, dbfs: number, seconds: number, rate: number, phase = 0): Float32Array {
  const a = Math.pow(10, dbfs / 20);
  const x = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < x.length; i++) x[i] = a * Math.sin((2 * Math.PI * hz * i) / rate + phase);
  return x;
}

/** Consecutive 1 kHz stretches at levels `db` (dBFS) lasting `seconds` (EBU 3341 cases 3–5). */
function steps(db: number[], seconds: number[], rate: number): Float32Array {
  return joinArrays(
    db.map((d, i) => sine(1000, d, seconds[i], rate)),
    (n) => new Float32Array(n),
  );
}

const stereo = (x: Float32Array) => [x, x.slice()];

describe('K-weighting', () => {
  it('reproduces the 48 kHz coefficients of BS.1770-4 table 1 and 2', () => {
    const [shelf, hp] = kWeightingFilters(48000);
    const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 8));
    close(shelf.b, [1.53512485958697, -2.69169618940638, 1.19839281085285]);
    close(shelf.a, [1, -1.69065929318241, 0.73248077421585]);
    close(hp.b, [1, -2, 1]);
    close(hp.a, [1, -1.99004745483398, 0.99007225036621]);
  });

  it('weights surround channels by +1.5 dB and leaves out the LFE', () => {
    expect(channelWeights(2)).toEqual([1, 1]);
    expect(channelWeights(5)).toEqual([1, 1, 1, 1.41, 1.41]);
    expect(channelWeights(6)[3]).toBe(0);
  });
});

describe('integrated loudness (EBU Tech 3341)', () => {
  for (const rate of [48000, 44100]) {
    it(`case 1 and 2: a stereo 1 kHz sine at −23 and −33 dBFS reads −23 and −33 LUFS ±0.1 (${rate} Hz)`, () => {
      expect(Math.abs(integratedLoudness(stereo(sine(1000, -23, 20, rate)), rate)! + 23)).toBeLessThan(0.1);
      expect(Math.abs(integratedLoudness(stereo(sine(1000, -33, 20, rate)), rate)! + 33)).toBeLessThan(0.1);
    });
  }

  it('a mono 1 kHz sine calibrated to −23 LUFS (peak −20 dBFS: one channel is 3 dB less than two) reads −23 ±0.1 at the engine rates', () => {
    for (const rate of [16000, 22050, 32000, 48000]) {
      const lufs = integratedLoudness([sine(1000, -23 + 10 * Math.log10(2), 10, rate)], rate)!;
      expect(Math.abs(lufs + 23), `${rate} Hz: ${lufs}`).toBeLessThan(0.1);
    }
  });

  // EBU Tech 3341 cases 3–5: stretches of a stereo 1 kHz sine (levels dBFS, lengths s) that read −23 LUFS.
  const STEPPED: { name: string; db: number[]; seconds: number[] }[] = [
    { name: 'case 3: −36 / −23 / −36 dBFS reads −23 (the relative gate drops the quiet ends)', db: [-36, -23, -36], seconds: [10, 60, 10] },
    { name: 'case 4: −72 / −36 / −23 / −36 / −72 dBFS reads −23 (both gates)', db: [-72, -36, -23, -36, -72], seconds: [10, 10, 60, 10, 10] },
    { name: 'case 5: −26 / −20 / −26 dBFS reads −23', db: [-26, -20, -26], seconds: [20, 20.1, 20] },
  ];
  for (const { name, db, seconds } of STEPPED) {
    it(name, () => {
      expect(Math.abs(integratedLoudness(stereo(steps(db, seconds, 48000)), 48000)! + 23)).toBeLessThan(0.1);
    });
  }

  it('case 6: 5.0 with L R at −28, C at −24 and Ls Rs at −30 dBFS reads −23 (channel weights)', () => {
    const rate = 48000;
    const side = sine(1000, -28, 20, rate);
    const surround = sine(1000, -30, 20, rate);
    const lufs = integratedLoudness([side, side.slice(), sine(1000, -24, 20, rate), surround, surround.slice()], rate)!;
    expect(Math.abs(lufs + 23)).toBeLessThan(0.1);
  });

  it('K-weighting: a 100 Hz tone reads quieter than 1 kHz and a 5 kHz one louder, as the curve says', () => {
    const rate = 48000;
    const at = (hz: number) => integratedLoudness([sine(hz, -20, 5, rate)], rate)!;
    expect(at(100)).toBeLessThan(at(1000) - 0.5);
    expect(at(5000)).toBeGreaterThan(at(1000) + 3);
    // Below the RLB high-pass the ear (and the meter) hardly hears it.
    expect(at(20)).toBeLessThan(at(1000) - 9);
  });

  it('silence and signals under −70 LUFS have no loudness; a clip under 400 ms is one block', () => {
    expect(integratedLoudness([new Float32Array(48000)], 48000)).toBeNull();
    expect(integratedLoudness([sine(1000, -80, 5, 48000)], 48000)).toBeNull();
    expect(integratedLoudness([], 48000)).toBeNull();
    const short = integratedLoudness(stereo(sine(1000, -23, 0.3, 48000)), 48000)!;
    expect(Math.abs(short + 23)).toBeLessThan(0.3);
  });

  it('the sample peak is the largest |sample| of any channel', () => {
    expect(samplePeak([new Float32Array([0.1, -0.5]), new Float32Array([0.25])])).toBe(0.5);
    expect(samplePeak([new Float32Array(4)])).toBe(0);
  });
});
