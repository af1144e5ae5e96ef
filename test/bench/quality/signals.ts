/** Synthetic signals with known answers for the quality-benchmark tests. */
import { istft, stft } from '../../../engine/dsp/stft';
import { hzToMel } from '../../../engine/dsp/filterbank';

export const RATE = 22050;

/** `x` filtered by a zero-phase EQ of `gainDb(f)` dB (STFT nFft 4096, hop 1024, overlap-add). */
export function equalise(x: Float32Array, gainDb: (hz: number) => number): Float32Array {
  const shape = { nFft: 4096, hop: 1024 };
  const s = stft(x, shape);
  for (let k = 0; k < s.bins; k++) {
    const g = Math.pow(10, gainDb((k * RATE) / shape.nFft) / 20);
    for (let t = 0; t < s.frames; t++) {
      s.re[t * s.bins + k] *= g;
      s.im[t * s.bins + k] *= g;
    }
  }
  return istft(s, shape, x.length);
}

/** A tilt of `db` dB from 0 Hz to the Nyquist frequency, linear in mel. */
export const melTilt = (db: number) => (hz: number) => (db * hzToMel(hz)) / hzToMel(RATE / 2);

/** A harmonic tone: `harmonics[h]` is the amplitude of harmonic h + 1 of `f0` Hz. */
export function harmonicTone(f0: number, seconds: number, harmonics: number[]): Float32Array {
  const out = new Float32Array(Math.round(seconds * RATE));
  for (let i = 0; i < out.length; i++) {
    let v = 0;
    harmonics.forEach((a, h) => (v += a * Math.sin((2 * Math.PI * f0 * (h + 1) * i) / RATE)));
    out[i] = v;
  }
  return out;
}

export const scaled = (x: Float32Array, g: number) => x.map((v) => v * g);
