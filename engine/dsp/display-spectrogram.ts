/**
 * Spectrograms for the workstation's lanes: decibels, with the hop widened on long files so
 * the view never has more than `maxFrames` columns to draw.
 */
import type { Spectrogram } from '../../common/audio';
import { GramophoneError } from '../../common/errors';
import { frameCount, stft } from './stft';

/** Default column budget: more than a wide screen has pixels. */
export const DEFAULT_DISPLAY_FRAMES = 4096;

/** |STFT| below this (≈ −160 dBFS) all reads as the floor. */
const FLOOR = 1e-8;

/**
 * The hop that keeps a centred STFT of `length` samples within `maxFrames` frames: `hop`
 * itself when that already fits, else the smallest wider hop that does.
 */
export function displayHop(length: number, hop: number, maxFrames: number): number {
  return frameCount(length, hop) <= maxFrames ? hop : Math.floor(length / maxFrames) + 1;
}

/**
 * A display spectrogram in dBFS: db[t·bins + f] = 20·log10(|STFT|·4/nFft + 1e-8), so a
 * full-scale sine at a bin centre reads 0 dB (the periodic Hann window sums to nFft/2, and a
 * real sine puts half its amplitude in each of ±f).
 * @param samples mono samples, full scale ±1
 * @param sampleRate Hz, carried through for the view's axes
 * @param nFft FFT size in samples (bins = nFft/2 + 1, bin f is at f·sampleRate/nFft Hz)
 * @param hop requested hop in samples; the returned `hop` is the one used (frame t is centred
 *   on sample t·hop)
 * @param maxFrames at most this many frames (≥ 1)
 */
export function displaySpectrogram(samples: Float32Array, sampleRate: number, nFft: number, hop: number, maxFrames: number = DEFAULT_DISPLAY_FRAMES): Spectrogram {
  if (!Number.isInteger(maxFrames) || maxFrames < 1) {
    throw new GramophoneError('INVALID_INPUT', `A spectrogram view needs at least one frame, not ${maxFrames}.`);
  }
  const bins = nFft / 2 + 1;
  if (samples.length === 0) return { frames: 0, bins, sampleRate, nFft, hop, db: new Float32Array(0) };
  const used = displayHop(samples.length, hop, maxFrames);
  const spec = stft(samples, { nFft, hop: used });
  const db = new Float32Array(spec.re.length);
  const scale = 4 / nFft;
  for (let i = 0; i < db.length; i++) {
    const m = Math.sqrt(spec.re[i] * spec.re[i] + spec.im[i] * spec.im[i]) * scale;
    db[i] = 20 * Math.log10(m + FLOOR);
  }
  return { frames: spec.frames, bins, sampleRate, nFft, hop: used, db };
}
