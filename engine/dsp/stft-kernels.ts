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
import { allocHeapFloats, glKernels, heapF32, PffftPlan, realFft, type GlKernels, type RealFft } from './fft';
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
 * The overlap-add gain: 1 / max(Σ_t w²[j − t·hop], 1e-8) for every sample j of the
 * un-trimmed output (length n + hop·(frames − 1)): reference.py's istft divides by the
 * summed squared window; multiplying by its reciprocal is the same up to rounding, and cheaper.
 */
export function overlapAddGain(frames: number, n: number, hop: number): Float64Array {
  const win = cachedHann(n);
  const len = n + hop * (frames - 1);
  const sum = new Float64Array(len);
  for (let t = 0; t < frames; t++) {
    const base = t * hop;
    for (let i = 0; i < n; i++) sum[base + i] += win[i] * win[i];
  }
  for (let j = 0; j < len; j++) sum[j] = 1 / Math.max(sum[j], 1e-8);
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
function gatherSample(frameBuf: Float32Array, gain: Float64Array, s: OlaShape, j: number): number {
  const { frames, n, hop } = s;
  if (j < 0 || j >= gain.length) return 0;
  const tLo = Math.max(0, Math.ceil((j - n + 1) / hop));
  const tHi = Math.min(frames - 1, Math.floor(j / hop));
  let acc = 0;
  for (let t = tLo; t <= tHi; t++) acc += frameBuf[t * n + j - t * hop];
  return acc * gain[j];
}

let scratch = new Float64Array(0);

/**
 * Overlap-add of a contiguous stretch: out[o + k] = y[j0 + k] for k < count, where y is the
 * normalised un-trimmed output. Each sample sums its frames in ascending order starting from
 * zero, exactly as `gatherSample` does, whatever the stretch.
 */
function overlapAddStretch(
  frameBuf: Float32Array,
  gain: Float64Array,
  s: OlaShape,
  j0: number,
  count: number,
  out: Float32Array,
  o: number,
): void {
  if (count <= 0) return;
  if (s.n === 4 * s.hop) overlapAddQuarterHop(frameBuf, gain, s, j0, j0 + count, out, o - j0);
  else overlapAddAnyHop(frameBuf, gain, s, j0, count, out, o);
}

/**
 * hop = n/4 (the usual 75 % overlap): away from the ends every sample has exactly four
 * frames, added in registers, which is several times faster than the general loop.
 * Writes out[j + shift] for j in [j0, j1).
 */
function overlapAddQuarterHop(
  frameBuf: Float32Array,
  gain: Float64Array,
  s: OlaShape,
  j0: number,
  j1: number,
  out: Float32Array,
  shift: number,
): void {
  const { frames, n, hop } = s;
  const stride = n - hop;
  for (let b = Math.floor(j0 / hop); b * hop < j1; b++) {
    const ja = Math.max(j0, b * hop);
    const jb = Math.min(j1, (b + 1) * hop);
    if (b < 3 || b > frames - 1) {
      for (let j = ja; j < jb; j++) out[j + shift] = gatherSample(frameBuf, gain, s, j);
      continue;
    }
    // Frame t holds sample j at frameBuf[t·(n − hop) + j].
    const f3 = (b - 3) * stride;
    const f2 = f3 + stride;
    const f1 = f2 + stride;
    const f0 = f1 + stride;
    for (let j = ja; j < jb; j++) out[j + shift] = (frameBuf[f3 + j] + frameBuf[f2 + j] + frameBuf[f1 + j] + frameBuf[f0 + j]) * gain[j];
  }
}

/** Any hop: frames are added one after another into a double-precision accumulator. */
function overlapAddAnyHop(
  frameBuf: Float32Array,
  gain: Float64Array,
  s: OlaShape,
  j0: number,
  count: number,
  out: Float32Array,
  o: number,
): void {
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
  const end = Math.min(j1, gain.length);
  for (let j = j0; j < end; j++) out[o + j - j0] = acc[j - j0] * gain[j];
  for (let j = Math.max(j0, end); j < j1; j++) out[o + j - j0] = 0;
}

/** iSTFT output samples i0 … i1 − 1 (trimmed by n/2, as a centred STFT's inverse). */
export function overlapAddSignal(
  frameBuf: Float32Array,
  gain: Float64Array,
  s: OlaShape,
  i0: number,
  i1: number,
  out: Float32Array,
): void {
  overlapAddStretch(frameBuf, gain, s, i0 + (s.n >> 1), i1 - i0, out, i0);
}

/**
 * Samples p0 … p1 − 1 of the iSTFT output already reflect-padded by n/2 on each side (length
 * `length + n`), ready for the next analysis, without waiting for the whole signal.
 */
export function overlapAddPadded(
  frameBuf: Float32Array,
  gain: Float64Array,
  s: OlaShape,
  p0: number,
  p1: number,
  xp: Float32Array,
): void {
  const half = s.n >> 1;
  const midStart = Math.max(p0, half);
  const midEnd = Math.min(p1, half + s.length);
  for (let p = p0; p < Math.min(p1, half); p++) xp[p] = gatherSample(frameBuf, gain, s, reflectIndex(p - half, s.length) + half);
  if (midEnd > midStart) overlapAddStretch(frameBuf, gain, s, midStart, midEnd - midStart, xp, midStart);
  for (let p = Math.max(p0, half + s.length); p < p1; p++) {
    xp[p] = gatherSample(frameBuf, gain, s, reflectIndex(p - half, s.length) + half);
  }
}

/**
 * One fast Griffin-Lim update for frames t0 … t1 − 1, fused with the next synthesis:
 *   reb = STFT(x̂)[t];  a = reb − coef·tprev[t];  a /= |a| + 1e-16;  tprev[t] = reb;
 *   frameBuf[t] = window · irfft(M[t] · a) / n
 * Uses the SIMD kernels (wasm/gl-kernels.wat) where this thread has them, else plain JS;
 * every thread of a process makes the same choice, so results do not depend on the split.
 * @param xp current estimate, reflect-padded (length + n samples)
 * @param mag target magnitude M, frames × bins
 * @param tp previous rebuilt spectrum, frames × n in the FFT's packed layout (updated in place)
 * @param coef momentum / (1 + momentum); 0 is classic Griffin-Lim
 */
export function griffinLimFrames(
  xp: Float32Array,
  mag: Float32Array,
  tp: Float32Array,
  n: number,
  hop: number,
  coef: number,
  t0: number,
  t1: number,
  frameBuf: Float32Array,
): void {
  const fft = realFft(n);
  if (glKernels && fft instanceof PffftPlan && n % 8 === 0) griffinLimFramesSimd(glKernels, fft, xp, mag, tp, n, hop, coef, t0, t1, frameBuf);
  else griffinLimFramesJs(fft, xp, mag, tp, n, hop, coef, t0, t1, frameBuf);
}

/** Per-thread heap scratch for the SIMD path, per FFT size: byte offsets. */
interface SimdScratch {
  tp: number;
  mag: number;
  win: number;
  synthWin: number;
}
const simdScratch = new Map<number, SimdScratch>();

function scratchFor(n: number): SimdScratch {
  let s = simdScratch.get(n);
  if (!s) {
    s = { tp: allocHeapFloats(n), mag: allocHeapFloats(n / 2 + 4), win: allocHeapFloats(n), synthWin: allocHeapFloats(n) };
    const heap = heapF32();
    const win = cachedHann(n);
    heap.set(win, s.win >> 2);
    for (let i = 0; i < n; i++) heap[(s.synthWin >> 2) + i] = win[i] / n;
    simdScratch.set(n, s);
  }
  return s;
}

function griffinLimFramesSimd(
  k: GlKernels,
  fft: PffftPlan,
  xp: Float32Array,
  mag: Float32Array,
  tp: Float32Array,
  n: number,
  hop: number,
  coef: number,
  t0: number,
  t1: number,
  frameBuf: Float32Array,
): void {
  const s = scratchFor(n);
  // Read after every allocation above: the heap may have grown and moved.
  const heap = heapF32();
  const half = n >> 1;
  const bins = half + 1;
  const inF = fft.inPtr >> 2;
  const outF = fft.outPtr >> 2;
  const tpF = s.tp >> 2;
  const magF = s.mag >> 2;
  for (let t = t0; t < t1; t++) {
    const base = t * hop;
    const row = t * bins;
    const fb = t * n;
    heap.set(xp.subarray(base, base + n), inF);
    k.mulInto(fft.inPtr, s.win, fft.inPtr, n);
    fft.forward();
    heap.set(tp.subarray(fb, fb + n), tpF);
    heap.set(mag.subarray(row, row + bins), magF);
    const tpDc = heap[tpF];
    const tpNyquist = heap[tpF + 1];
    k.glBins(fft.outPtr, s.tp, s.mag, fft.inPtr, half, coef);
    // Bins 0 and n/2 are real: redo the two floats the vector loop treated as one complex bin.
    const a0 = heap[outF] - coef * tpDc;
    heap[inF] = (mag[row] * a0) / (Math.abs(a0) + 1e-16);
    const an = heap[outF + 1] - coef * tpNyquist;
    heap[inF + 1] = (mag[row + half] * an) / (Math.abs(an) + 1e-16);
    tp.set(heap.subarray(tpF, tpF + n), fb);
    fft.inverse();
    k.mulInto(fft.outPtr, s.synthWin, fft.outPtr, n);
    frameBuf.set(heap.subarray(outF, outF + n), fb);
  }
}

/** The plain-JS form of `griffinLimFrames`, used where SIMD is unavailable (and by tests). */
export function griffinLimFramesJs(
  fft: RealFft,
  xp: Float32Array,
  mag: Float32Array,
  tp: Float32Array,
  n: number,
  hop: number,
  coef: number,
  t0: number,
  t1: number,
  frameBuf: Float32Array,
): void {
  const win = cachedHann(n);
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
    const fb = t * n;
    // Bins 0 and n/2 are real in both the rebuilt spectrum and what irfft reads back.
    const a0 = out[0] - coef * tp[fb];
    const an = out[1] - coef * tp[fb + 1];
    tp[fb] = out[0];
    tp[fb + 1] = out[1];
    inp[0] = (mag[row] * a0) / (Math.abs(a0) + 1e-16);
    inp[1] = (mag[row + half] * an) / (Math.abs(an) + 1e-16);
    for (let k = 1; k < half; k++) {
      const rRe = out[2 * k];
      const rIm = out[2 * k + 1];
      const aRe = rRe - coef * tp[fb + 2 * k];
      const aIm = rIm - coef * tp[fb + 2 * k + 1];
      tp[fb + 2 * k] = rRe;
      tp[fb + 2 * k + 1] = rIm;
      const g = mag[row + k] / (Math.sqrt(aRe * aRe + aIm * aIm) + 1e-16);
      inp[2 * k] = aRe * g;
      inp[2 * k + 1] = aIm * g;
    }
    fft.inverse();
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
  | { op: 'griffinLim'; xp: Float32Array; mag: Float32Array; tp: Float32Array; n: number; hop: number; coef: number; frameBuf: Float32Array }
  | { op: 'synthesise'; re: Float32Array; im: Float32Array; n: number; frameBuf: Float32Array }
  | { op: 'overlapAddPadded'; frameBuf: Float32Array; gain: Float64Array; shape: OlaShape; xp: Float32Array }
  | { op: 'overlapAddSignal'; frameBuf: Float32Array; gain: Float64Array; shape: OlaShape; out: Float32Array }
  | { op: 'convergence'; xp: Float32Array; mag: Float32Array; n: number; hop: number; sums: Float64Array };

/** Run `task` over the half-open range [a, b) (frames, or samples for overlap-add). */
export function runKernel(task: KernelTask, a: number, b: number): void {
  switch (task.op) {
    case 'griffinLim':
      return griffinLimFrames(task.xp, task.mag, task.tp, task.n, task.hop, task.coef, a, b, task.frameBuf);
    case 'synthesise':
      return synthesiseFrames(task.re, task.im, task.n, a, b, task.frameBuf);
    case 'overlapAddPadded':
      return overlapAddPadded(task.frameBuf, task.gain, task.shape, a, b, task.xp);
    case 'overlapAddSignal':
      return overlapAddSignal(task.frameBuf, task.gain, task.shape, a, b, task.out);
    case 'convergence':
      return convergenceFrames(task.xp, task.mag, task.n, task.hop, a, b, task.sums);
  }
}

/**
 * Work through `task` in `chunks` pieces of [0, total), claiming pieces one at a time from
 * `ctrl` = [next piece, pieces done] on a SharedArrayBuffer. Every thread sharing `ctrl`
 * runs this; a thread that is descheduled simply claims fewer pieces, so a busy machine
 * costs a straggler at most one piece. Which thread computes a piece does not change it.
 */
export function drainChunks(task: KernelTask, ctrl: Int32Array, total: number, chunks: number): void {
  for (;;) {
    const c = Atomics.add(ctrl, 0, 1);
    if (c >= chunks) return;
    runKernel(task, Math.floor((total * c) / chunks), Math.floor((total * (c + 1)) / chunks));
    Atomics.add(ctrl, 1, 1);
    Atomics.notify(ctrl, 1);
  }
}
