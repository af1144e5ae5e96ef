/**
 * The inner loops of Griffin-Lim over a range of frames: the fused update (analyse the
 * estimate, take the target magnitude with the momentum-corrected phase, synthesise), with
 * a SIMD path (wasm/gl-kernels.wat) and a plain-JS one, and the per-frame sums of spectral
 * convergence. Frames are independent, so any split over threads gives the same result.
 */
import { allocHeapFloats, glKernels, heapF32, PffftPlan, realFft, type GlKernels, type RealFft } from './fft';
import { frameWindow } from './window';
import { forwardFrame, frameKit } from './stft-frames';

/** What one Griffin-Lim update works on (also the worker task's fields, kernel-tasks.ts). */
export interface GriffinLimStep {
  /** Current estimate, reflect-padded (length + n samples). */
  xp: Float32Array;
  /** Target magnitude M, frames × bins. */
  mag: Float32Array;
  /** Previous rebuilt spectrum, frames × n in the FFT's packed layout (updated in place). */
  tp: Float32Array;
  /** FFT size and the Hann window's length (≤ n), in samples. */
  n: number;
  window: number;
  hop: number;
  /** momentum / (1 + momentum); 0 is classic Griffin-Lim. */
  coef: number;
  /** Synthesised frames out, frames × n. */
  frameBuf: Float32Array;
}

/**
 * One fast Griffin-Lim update for frames t0 … t1 − 1, fused with the next synthesis:
 *   reb = STFT(x̂)[t];  a = reb − coef·tprev[t];  a /= |a| + 1e-16;  tprev[t] = reb;
 *   frameBuf[t] = window · irfft(M[t] · a) / n
 * Uses the SIMD kernels (wasm/gl-kernels.wat) where this thread has them, else plain JS;
 * every thread of a process makes the same choice, so results do not depend on the split.
 */
export function griffinLimFrames(g: GriffinLimStep, t0: number, t1: number): void {
  const fft = realFft(g.n);
  if (glKernels && fft instanceof PffftPlan && g.n % 8 === 0) griffinLimFramesSimd(glKernels, fft, g, t0, t1);
  else griffinLimFramesJs(fft, g, t0, t1);
}

/** Per-thread heap scratch for the SIMD path, per FFT size and window length: byte offsets. */
interface SimdScratch {
  tp: number;
  mag: number;
  win: number;
  synthWin: number;
}
const simdScratch = new Map<string, SimdScratch>();

function scratchFor(n: number, window: number): SimdScratch {
  const key = `${n}/${window}`;
  let s = simdScratch.get(key);
  if (!s) {
    s = { tp: allocHeapFloats(n), mag: allocHeapFloats(n / 2 + 4), win: allocHeapFloats(n), synthWin: allocHeapFloats(n) };
    const heap = heapF32();
    const win = frameWindow(n, window);
    heap.set(win, s.win >> 2);
    for (let i = 0; i < n; i++) heap[(s.synthWin >> 2) + i] = win[i] / n;
    simdScratch.set(key, s);
  }
  return s;
}

function griffinLimFramesSimd(k: GlKernels, fft: PffftPlan, g: GriffinLimStep, t0: number, t1: number): void {
  const { xp, mag, tp, n, hop, coef, frameBuf } = g;
  const s = scratchFor(n, g.window);
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
export function griffinLimFramesJs(fft: RealFft, g: GriffinLimStep, t0: number, t1: number): void {
  const { xp, mag, tp, n, hop, coef, frameBuf } = g;
  const kit = frameKit(n, g.window, fft);
  const { inp, out, win, half, bins } = kit;
  const invN = 1 / n;
  for (let t = t0; t < t1; t++) {
    forwardFrame(kit, xp, t * hop);
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
export function convergenceFrames(xp: Float32Array, mag: Float32Array, n: number, window: number, hop: number, t0: number, t1: number, sums: Float64Array): void {
  const kit = frameKit(n, window);
  const { out, half } = kit;
  for (let t = t0; t < t1; t++) {
    forwardFrame(kit, xp, t * hop);
    const row = t * kit.bins;
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
