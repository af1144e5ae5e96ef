/** Log-spectral distance between two signals, for comparing takes by sound rather than by bytes. */
import { magnitude, stft, type StftShape } from '../../engine/dsp/stft';

/**
 * LSD in dB: for each frame, the RMS over bins of the difference of the two log spectra
 * 20·log10(|X| + floor), then the mean over frames. `floor` sits `floorDb` below the louder
 * signal's largest bin, so differences far below anything audible in the take do not count.
 * Signals of different lengths are compared over the shorter one.
 * @param a, b mono samples at the same rate
 */
export function logSpectralDistance(a: Float32Array, b: Float32Array, shape: StftShape = { nFft: 1024, hop: 256 }, floorDb = 80): number {
  const n = Math.min(a.length, b.length);
  const ma = magnitude(stft(a.subarray(0, n), shape));
  const mb = magnitude(stft(b.subarray(0, n), shape));
  let peak = 0;
  for (let i = 0; i < ma.length; i++) peak = Math.max(peak, ma[i], mb[i]);
  const floor = peak * 10 ** (-floorDb / 20) + 1e-30;
  const bins = shape.nFft / 2 + 1;
  const frames = ma.length / bins;
  let sum = 0;
  for (let t = 0; t < frames; t++) {
    let sq = 0;
    for (let f = 0; f < bins; f++) {
      const d = 20 * Math.log10((ma[t * bins + f] + floor) / (mb[t * bins + f] + floor));
      sq += d * d;
    }
    sum += Math.sqrt(sq / bins);
  }
  return sum / frames;
}
