/**
 * Short-time Fourier transform with a periodic Hann window and centred, reflect-padded
 * frames: librosa's and torch.stft(center=True, pad_mode="reflect")'s convention, so the
 * spectrograms match the reference implementations frame for frame.
 */
import { GramophoneError } from '../../common/errors';
import { analyseFrames, padReflect, synthesiseFrames } from './stft-frames';
import { overlapAddGain, overlapAddSignal } from './overlap-add';

/** Analysis geometry: FFT size, window length and hop, all in samples. */
export interface StftShape {
  /** FFT (frame) length in samples; even. */
  nFft: number;
  /**
   * Hann window length in samples, 1 … nFft, centred in the frame and zero outside it
   * (Verma & Smith's 30 ms = 480 samples in a 512-point FFT at 16 kHz). Default nFft.
   */
  window?: number;
  /** Hop between frames in samples, ≥ 1 (above nFft frames leave gaps: fine for display only). */
  hop: number;
}

/** A complex spectrogram: frames × bins row-major, bins = nFft/2 + 1. */
export interface ComplexSpectrogram {
  frames: number;
  bins: number;
  re: Float32Array;
  im: Float32Array;
}

/**
 * Frames a centred STFT has for a signal: 1 + floor(length / hop).
 * @param length signal length in samples
 * @param hop hop in samples
 */
export function frameCount(length: number, hop: number): number {
  return 1 + Math.floor(length / hop);
}

/** Throws INVALID_INPUT unless nFft is even and ≥ 2, the window 1 … nFft and hop a whole number ≥ 1. */
export function checkShape(shape: StftShape): void {
  const { nFft, hop, window = nFft } = shape;
  if (!Number.isInteger(nFft) || nFft < 2 || nFft % 2 !== 0) {
    throw new GramophoneError('INVALID_INPUT', `The FFT size must be an even whole number of samples, not ${nFft}.`);
  }
  if (!Number.isInteger(hop) || hop < 1) {
    throw new GramophoneError('INVALID_INPUT', `The hop must be a whole number of samples, at least 1, not ${hop}.`);
  }
  if (!Number.isInteger(window) || window < 1 || window > nFft) {
    throw new GramophoneError('INVALID_INPUT', `The window must be a whole number of samples from 1 to the FFT size ${nFft}, not ${window}.`);
  }
}

function checkSignal(signal: Float32Array): void {
  if (signal.length === 0) throw new GramophoneError('INVALID_INPUT', 'Cannot analyse an empty signal.');
}

/**
 * STFT of a mono signal.
 * @param signal samples (any scale)
 * @returns frames = frameCount(signal.length, hop), bins = nFft/2 + 1; frame t is centred on
 *   sample t·hop; unnormalised (a full-scale sine at a bin centre has magnitude window/4).
 */
export function stft(signal: Float32Array, shape: StftShape): ComplexSpectrogram {
  checkShape(shape);
  checkSignal(signal);
  const { nFft, hop } = shape;
  const frames = frameCount(signal.length, hop);
  const bins = nFft / 2 + 1;
  const xp = padReflect(signal, nFft / 2);
  const re = new Float32Array(frames * bins);
  const im = new Float32Array(frames * bins);
  analyseFrames(xp, nFft, shape.window ?? nFft, hop, 0, frames, re, im);
  return { frames, bins, re, im };
}

/**
 * Inverse STFT by windowed overlap-add, divided by the summed squared window (where that sum
 * is below 1e-8 it counts as 1e-8), trimmed by nFft/2 at the start to undo centring.
 * @param length samples wanted; samples beyond the frames' reach are 0
 * @returns Float32Array of `length` samples; istft(stft(x), shape, x.length) ≈ x
 */
export function istft(spec: ComplexSpectrogram, shape: StftShape, length: number): Float32Array {
  checkShape(shape);
  const { nFft, hop } = shape;
  if (spec.bins !== nFft / 2 + 1) {
    throw new GramophoneError('INVALID_INPUT', `A spectrogram with ${spec.bins} bins does not fit an FFT size of ${nFft}.`);
  }
  const frameBuf = new Float32Array(spec.frames * nFft);
  const window = shape.window ?? nFft;
  synthesiseFrames(spec.re, spec.im, nFft, window, 0, spec.frames, frameBuf);
  const gain = overlapAddGain(spec.frames, nFft, window, hop);
  const out = new Float32Array(length);
  overlapAddSignal(frameBuf, gain, { frames: spec.frames, n: nFft, hop, length }, 0, length, out);
  return out;
}

/** |STFT| per bin: frames × bins row-major. */
export function magnitude(spec: ComplexSpectrogram): Float32Array {
  const { re, im } = spec;
  const out = new Float32Array(re.length);
  for (let i = 0; i < re.length; i++) out[i] = Math.sqrt(re[i] * re[i] + im[i] * im[i]);
  return out;
}
