/**
 * The per-frame halves of the STFT: reflect padding, analysis (window → real FFT) and
 * synthesis (inverse FFT → window), each over a range of frames so the work can be split
 * across threads. Every frame is computed by the same arithmetic whatever range it falls in,
 * so a split gives bit-identical results to one thread doing everything.
 *
 * Array shapes: spectra are frames × bins row-major (bins = n/2 + 1); time frames are
 * frames × n row-major, already windowed and scaled, ready to overlap-add.
 */
import { realFft } from './fft';
import { cachedHann } from './window';

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

/**
 * Analysis: STFT rows t0 … t1 − 1 of the reflect-padded signal `xp` (length ≥ (t1−1)·hop + n).
 * Writes re/im (frames × bins).
 */
export function analyseFrames(xp: Float32Array, n: number, hop: number, t0: number, t1: number, re: Float32Array, im: Float32Array): void {
  const win = cachedHann(n);
  const fft = realFft(n);
  const inp = fft.input();
  const out = fft.output();
  const half = n >> 1;
  const bins = half + 1;
  for (let t = t0; t < t1; t++) {
    const base = t * hop;
    for (let i = 0; i < n; i++) inp[i] = xp[base + i] * win[i];
    fft.forward();
    const row = t * bins;
    re[row] = out[0];
    im[row] = 0;
    re[row + half] = out[1];
    im[row + half] = 0;
    for (let k = 1; k < half; k++) {
      re[row + k] = out[2 * k];
      im[row + k] = out[2 * k + 1];
    }
  }
}

/**
 * Synthesis: inverse FFT of spectrum rows t0 … t1 − 1, times the window, divided by n,
 * into `frameBuf` (frames × n). The imaginary parts of bin 0 and bin n/2 are ignored, as
 * every irfft does.
 */
export function synthesiseFrames(re: Float32Array, im: Float32Array, n: number, t0: number, t1: number, frameBuf: Float32Array): void {
  const win = cachedHann(n);
  const fft = realFft(n);
  const inp = fft.input();
  const out = fft.output();
  const half = n >> 1;
  const bins = half + 1;
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
