/**
 * Overlap-add: windowed time frames (frames × n row-major, from `synthesiseFrames`) summed
 * into a signal and normalised by the summed squared window, over any stretch of output
 * samples. Overlap-add *gathers*: each output sample sums its frames in ascending frame
 * order, starting from zero, in double precision, so splitting the output over threads
 * gives bit-identical results to one thread.
 */
import { frameWindow } from './window';
import { reflectIndex } from './stft-frames';

/**
 * The overlap-add gain: 1 / max(Σ_t w²[j − t·hop], 1e-8) for every sample j of the
 * un-trimmed output (length n + hop·(frames − 1)): reference.py's istft divides by the
 * summed squared window; multiplying by its reciprocal is the same up to rounding, and cheaper.
 * `window`: the Hann window's length (≤ n; zero elsewhere in the frame).
 */
export function overlapAddGain(frames: number, n: number, window: number, hop: number): Float64Array {
  const win = frameWindow(n, window);
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
function overlapAddStretch(frameBuf: Float32Array, gain: Float64Array, s: OlaShape, j0: number, count: number, out: Float32Array, o: number): void {
  if (count <= 0) return;
  if (s.n === 4 * s.hop) overlapAddQuarterHop(frameBuf, gain, s, j0, j0 + count, out, o - j0);
  else overlapAddAnyHop(frameBuf, gain, s, j0, count, out, o);
}

/**
 * hop = n/4 (the usual 75 % overlap): away from the ends every sample has exactly four
 * frames, added in registers, which is several times faster than the general loop.
 * Writes out[j + shift] for j in [j0, j1).
 */
function overlapAddQuarterHop(frameBuf: Float32Array, gain: Float64Array, s: OlaShape, j0: number, j1: number, out: Float32Array, shift: number): void {
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
function overlapAddAnyHop(frameBuf: Float32Array, gain: Float64Array, s: OlaShape, j0: number, count: number, out: Float32Array, o: number): void {
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
export function overlapAddSignal(frameBuf: Float32Array, gain: Float64Array, s: OlaShape, i0: number, i1: number, out: Float32Array): void {
  overlapAddStretch(frameBuf, gain, s, i0 + (s.n >> 1), i1 - i0, out, i0);
}

/**
 * Samples p0 … p1 − 1 of the iSTFT output already reflect-padded by n/2 on each side (length
 * `length + n`), ready for the next analysis, without waiting for the whole signal.
 */
export function overlapAddPadded(frameBuf: Float32Array, gain: Float64Array, s: OlaShape, p0: number, p1: number, xp: Float32Array): void {
  const half = s.n >> 1;
  const midStart = Math.max(p0, half);
  const midEnd = Math.min(p1, half + s.length);
  for (let p = p0; p < Math.min(p1, half); p++) xp[p] = gatherSample(frameBuf, gain, s, reflectIndex(p - half, s.length) + half);
  if (midEnd > midStart) overlapAddStretch(frameBuf, gain, s, midStart, midEnd - midStart, xp, midStart);
  for (let p = Math.max(p0, half + s.length); p < p1; p++) {
    xp[p] = gatherSample(frameBuf, gain, s, reflectIndex(p - half, s.length) + half);
  }
}
