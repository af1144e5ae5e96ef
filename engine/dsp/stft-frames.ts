/**
 * The per-frame halves of the STFT: reflect padding, analysis (window → real FFT) and
 * synthesis (inverse FFT → window), each over a range of frames so the work can be split
 * across threads. Every frame is computed by the same arithmetic whatever range it falls in,
 * so a split gives bit-identical results to one thread doing everything.
 *
 * Array shapes: spectra are frames × bins row-major (bins = n/2 + 1); time frames are
 * frames × n row-major, already windowed and scaled, ready to overlap-add.
 */
import { realFft, type RealFft } from './fft';
import { frameWindow } from './window';

/**
 * Where sample `i` of a signal of `length` samples comes from under reflect padding
 * (numpy's "reflect": the edge sample is not repeated; long pads keep folding).
 */
export function reflectIndex(i: number, length: number): number {
  if (length === 1) return 0;
  const period = 2 * (length - 1);
  let j = i % period;
  if (j < 0) j += period;
  return j < length ? j : period - j;
}

/** `signal` with `pad` reflected samples on each side: length signal.length + 2·pad. */
export function padReflect(signal: Float32Array, pad: number, out = new Float32Array(signal.length + 2 * pad)): Float32Array {
  const len = signal.length;
  out.set(signal, pad);
  for (let p = 0; p < pad; p++) {
    out[p] = signal[reflectIndex(p - pad, len)];
    out[pad + len + p] = signal[reflectIndex(len + p, len)];
  }
  return out;
}

/** What every per-frame loop over an n-point real FFT works with. */
export interface FrameKit {
  fft: RealFft;
  /** The plan's input and output buffers (packed spectrum: re[0], re[n/2], then re/im pairs). */
  inp: Float32Array;
  out: Float32Array;
  /** The analysis window, n samples (a periodic Hann of the window length, centred). */
  win: Float32Array;
  half: number;
  /** n/2 + 1. */
  bins: number;
}

/**
 * The plan (this thread's, unless one is given), its buffers and the window for n-point
 * frames whose Hann window is `window` samples long (default n).
 */
export function frameKit(n: number, window = n, fft: RealFft = realFft(n)): FrameKit {
  const half = n >> 1;
  return { fft, inp: fft.input(), out: fft.output(), win: frameWindow(n, window), half, bins: half + 1 };
}

/** Window the n samples of `xp` from `base` and transform them: the spectrum is in `k.out`. */
export function forwardFrame(k: FrameKit, xp: Float32Array, base: number): void {
  const { inp, win } = k;
  for (let i = 0; i < win.length; i++) inp[i] = xp[base + i] * win[i];
  k.fft.forward();
}

/**
 * Analysis: STFT rows t0 … t1 − 1 of the reflect-padded signal `xp` (length ≥ (t1−1)·hop + n).
 * Writes re/im (frames × bins). `window`: the Hann window's length (≤ n).
 */
export function analyseFrames(xp: Float32Array, n: number, window: number, hop: number, t0: number, t1: number, re: Float32Array, im: Float32Array): void {
  const k = frameKit(n, window);
  const { out, half, bins } = k;
  for (let t = t0; t < t1; t++) {
    forwardFrame(k, xp, t * hop);
    const row = t * bins;
    re[row] = out[0];
    im[row] = 0;
    re[row + half] = out[1];
    im[row + half] = 0;
    for (let f = 1; f < half; f++) {
      re[row + f] = out[2 * f];
      im[row + f] = out[2 * f + 1];
    }
  }
}

/**
 * Synthesis: inverse FFT of spectrum rows t0 … t1 − 1, times the window, divided by n,
 * into `frameBuf` (frames × n). The imaginary parts of bin 0 and bin n/2 are ignored, as
 * every irfft does. `window`: the Hann window's length (≤ n).
 */
export function synthesiseFrames(re: Float32Array, im: Float32Array, n: number, window: number, t0: number, t1: number, frameBuf: Float32Array): void {
  const { fft, inp, out, win, half, bins } = frameKit(n, window);
  const invN = 1 / n;
  for (let t = t0; t < t1; t++) {
    const row = t * bins;
    inp[0] = re[row];
    inp[1] = re[row + half];
    for (let k = 1; k < half; k++) {
      inp[2 * k] = re[row + k];
      inp[2 * k + 1] = im[row + k];
    }
    fft.inverse();
    const base = t * n;
    for (let i = 0; i < n; i++) frameBuf[base + i] = out[i] * win[i] * invN;
  }
}
