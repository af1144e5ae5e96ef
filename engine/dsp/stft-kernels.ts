/**
 * The inner loops of STFT, iSTFT and Griffin-Lim, each over a range of frames or samples.
 *
 * Every output element is computed by the same arithmetic in the same order whatever range
 * it falls in, so splitting the ranges over worker threads gives bit-identical results to
 * one thread doing everything. In particular overlap-add *gathers*: each output sample sums
 * its frames in ascending frame order, starting from zero, in double precision.
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
export function analyseFrames(
  xp: Float32Array,
  n: number,
  hop: number,
  t0: number,
  t1: number,
  re: Float32Array,
  im: Float32Array,
): void {
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
export function synthesiseFrames(
  re: Float32Array,
  im: Float32Array,
  n: number,
  t0: number,
  t1: number,
  frameBuf: Float32Array,
): void {
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

/**
 * The overlap-add normaliser: max(Σ_t w²[j − t·hop], 1e-8) for every sample j of the
 * un-trimmed output (length n + hop·(frames − 1)), as reference.py's istft.
 */
export function windowSumSquares(frames: number, n: number, hop: number): Float64Array {
  const win = cachedHann(n);
  const len = n + hop * (frames - 1);
  const sum = new Float64Array(len);
  for (let t = 0; t < frames; t++) {
    const base = t * hop;
    for (let i = 0; i < n; i++) sum[base + i] += win[i] * win[i];
  }
  for (let j = 0; j < len; j++) if (sum[j] < 1e-8) sum[j] = 1e-8;
  return sum;
}

/** Geometry of one overlap-add: how frames map onto the output. */
export interface OlaShape {
  frames: number;
  n: number;
  hop: number;
  /** Samples in the trimmed output signal. */
  length: number;
}

/** One overlap-added, normalised sample at un-trimmed position j (0 outside the frames). */
function gatherSample(frameBuf: Float32Array, norm: Float64Array, s: OlaShape, j: number): number {
  const { frames, n, hop } = s;
  if (j < 0 || j >= norm.length) return 0;
  const tLo = Math.max(0, Math.ceil((j - n + 1) / hop));
  const tHi = Math.min(frames - 1, Math.floor(j / hop));
  let acc = 0;
  for (let t = tLo; t <= tHi; t++) acc += frameBuf[t * n + j - t * hop];
  return acc / norm[j];
}

let scratch = new Float64Array(0);

/**
 * Overlap-add of a contiguous stretch: out[o + k] = y[j0 + k] for k < count, where y is the
 * normalised un-trimmed output. Frames are added one after another (scatter order), which
 * sums each sample's frames in ascending order exactly as `gatherSample` does.
 */
function overlapAddStretch(
  frameBuf: Float32Array,
  norm: Float64Array,
  s: OlaShape,
  j0: number,
  count: number,
  out: Float32Array,
  o: number,
): void {
  if (count <= 0) return;
  const { frames, n, hop } = s;
  if (scratch.length < count) scratch = new Float64Array(count);
  const acc = scratch;
  acc.fill(0, 0, count);
  const j1 = j0 + count;
  const tLo = Math.max(0, Math.ceil((j0 - n + 1) / hop));
  const tHi = Math.min(frames - 1, Math.floor((j1 - 1) / hop));
  for (let t = tLo; t <= tHi; t++) {
    const start = t * hop;
    const a = Math.max(j0, start);
    const b = Math.min(j1, start + n);
    const src = t * n - start;
    for (let j = a; j < b; j++) acc[j - j0] += frameBuf[src + j];
  }
  const end = Math.min(j1, norm.length);
  for (let j = j0; j < end; j++) out[o + j - j0] = acc[j - j0] / norm[j];
  for (let j = Math.max(j0, end); j < j1; j++) out[o + j - j0] = 0;
}

/** iSTFT output samples i0 … i1 − 1 (trimmed by n/2, as a centred STFT's inverse). */
export function overlapAddSignal(
  frameBuf: Float32Array,
  norm: Float64Array,
  s: OlaShape,
  i0: number,
  i1: number,
  out: Float32Array,
): void {
  overlapAddStretch(frameBuf, norm, s, i0 + (s.n >> 1), i1 - i0, out, i0);
}

/**
 * Samples p0 … p1 − 1 of the iSTFT output already reflect-padded by n/2 on each side (length
 * `length + n`), ready for the next analysis, without waiting for the whole signal.
 */
export function overlapAddPadded(
  frameBuf: Float32Array,
  norm: Float64Array,
  s: OlaShape,
  p0: number,
  p1: number,
  xp: Float32Array,
): void {
  const half = s.n >> 1;
  const midStart = Math.max(p0, half);
  const midEnd = Math.min(p1, half + s.length);
  for (let p = p0; p < Math.min(p1, half); p++) xp[p] = gatherSample(frameBuf, norm, s, reflectIndex(p - half, s.length) + half);
  if (midEnd > midStart) overlapAddStretch(frameBuf, norm, s, midStart, midEnd - midStart, xp, midStart);
  for (let p = Math.max(p0, half + s.length); p < p1; p++) {
    xp[p] = gatherSample(frameBuf, norm, s, reflectIndex(p - half, s.length) + half);
  }
}

/**
 * One fast Griffin-Lim update for frames t0 … t1 − 1, fused with the next synthesis:
 *   reb = STFT(x̂)[t];  a = reb − coef·tprev[t];  a /= |a| + 1e-16;  tprev[t] = reb;
 *   frameBuf[t] = window · irfft(M[t] · a) / n
 * @param xp current estimate, reflect-padded (length + n samples)
 * @param mag target magnitude M, frames × bins
 * @param tpRe,tpIm previous rebuilt spectrum, frames × bins (updated in place)
 * @param coef momentum / (1 + momentum); 0 is classic Griffin-Lim
 */
export function griffinLimFrames(
  xp: Float32Array,
  mag: Float32Array,
  tpRe: Float32Array,
  tpIm: Float32Array,
  n: number,
  hop: number,
  coef: number,
  t0: number,
  t1: number,
  frameBuf: Float32Array,
): void {
  const win = cachedHann(n);
  const fft = realFft(n);
  const inp = fft.input();
  const out = fft.output();
  const half = n >> 1;
  const bins = half + 1;
  const invN = 1 / n;
  for (let t = t0; t < t1; t++) {
    const base = t * hop;
    for (let i = 0; i < n; i++) inp[i] = xp[base + i] * win[i];
    fft.forward();
    const row = t * bins;
    // Bins 0 and n/2 are real in both the rebuilt spectrum and what irfft reads back.
    {
      const r = out[0];
      const a = r - coef * tpRe[row];
      tpRe[row] = r;
      tpIm[row] = 0;
      inp[0] = (mag[row] * a) / (Math.abs(a) + 1e-16);
      const rn = out[1];
      const an = rn - coef * tpRe[row + half];
      tpRe[row + half] = rn;
      tpIm[row + half] = 0;
      inp[1] = (mag[row + half] * an) / (Math.abs(an) + 1e-16);
    }
    for (let k = 1; k < half; k++) {
      const idx = row + k;
      const rRe = out[2 * k];
      const rIm = out[2 * k + 1];
      const aRe = rRe - coef * tpRe[idx];
      const aIm = rIm - coef * tpIm[idx];
      tpRe[idx] = rRe;
      tpIm[idx] = rIm;
      const g = mag[idx] / (Math.sqrt(aRe * aRe + aIm * aIm) + 1e-16);
      inp[2 * k] = aRe * g;
      inp[2 * k + 1] = aIm * g;
    }
    fft.inverse();
    const fb = t * n;
    for (let i = 0; i < n; i++) frameBuf[fb + i] = out[i] * win[i] * invN;
  }
}

/**
 * Per-frame sums for spectral convergence: sums[2t] = Σ_f (M − |STFT(x̂)|)², sums[2t+1] = Σ_f M².
 * The caller adds the frames in order, so the total does not depend on how frames were split.
 */
export function convergenceFrames(
  xp: Float32Array,
  mag: Float32Array,
  n: number,
  hop: number,
  t0: number,
  t1: number,
  sums: Float64Array,
): void {
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
    let err = 0;
    let ref = 0;
    for (let k = 0; k <= half; k++) {
      let s: number;
      if (k === 0) s = Math.abs(out[0]);
      else if (k === half) s = Math.abs(out[1]);
      else s = Math.sqrt(out[2 * k] * out[2 * k] + out[2 * k + 1] * out[2 * k + 1]);
      const m = mag[row + k];
      err += (m - s) * (m - s);
      ref += m * m;
    }
    sums[2 * t] = err;
    sums[2 * t + 1] = ref;
  }
}

/** A kernel call as it crosses to a worker thread: typed arrays on SharedArrayBuffers. */
export type KernelTask =
  | { op: 'griffinLim'; xp: Float32Array; mag: Float32Array; tpRe: Float32Array; tpIm: Float32Array; n: number; hop: number; coef: number; frameBuf: Float32Array }
  | { op: 'synthesise'; re: Float32Array; im: Float32Array; n: number; frameBuf: Float32Array }
  | { op: 'overlapAddPadded'; frameBuf: Float32Array; norm: Float64Array; shape: OlaShape; xp: Float32Array }
  | { op: 'overlapAddSignal'; frameBuf: Float32Array; norm: Float64Array; shape: OlaShape; out: Float32Array }
  | { op: 'convergence'; xp: Float32Array; mag: Float32Array; n: number; hop: number; sums: Float64Array };

/** Run `task` over the half-open range [a, b) (frames, or samples for overlap-add). */
export function runKernel(task: KernelTask, a: number, b: number): void {
  switch (task.op) {
    case 'griffinLim':
      return griffinLimFrames(task.xp, task.mag, task.tpRe, task.tpIm, task.n, task.hop, task.coef, a, b, task.frameBuf);
    case 'synthesise':
      return synthesiseFrames(task.re, task.im, task.n, a, b, task.frameBuf);
    case 'overlapAddPadded':
      return overlapAddPadded(task.frameBuf, task.norm, task.shape, a, b, task.xp);
    case 'overlapAddSignal':
      return overlapAddSignal(task.frameBuf, task.norm, task.shape, a, b, task.out);
    case 'convergence':
      return convergenceFrames(task.xp, task.mag, task.n, task.hop, a, b, task.sums);
  }
}
