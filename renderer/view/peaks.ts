/**
 * Waveform peaks: min/max per block of samples, computed once per track so drawing any
 * zoom level is O(pixels), not O(samples).
 */

/** Samples per block of the cached peaks. */
export const PEAK_BLOCK = 128;

export interface Peaks {
  /** min[i], max[i] over samples [i·block, (i+1)·block) of the mono mix, −1..1. */
  min: Float32Array;
  max: Float32Array;
  block: number;
  sampleRate: number;
}

/** Peaks of the channels' mean (mono mix). */
export function computePeaks(channels: Float32Array[], sampleRate: number, block = PEAK_BLOCK): Peaks {
  const n = channels[0]?.length ?? 0;
  const blocks = Math.ceil(n / block);
  const min = new Float32Array(blocks);
  const max = new Float32Array(blocks);
  const k = 1 / Math.max(1, channels.length);
  for (let b = 0; b < blocks; b++) {
    let lo = Infinity;
    let hi = -Infinity;
    const end = Math.min(n, (b + 1) * block);
    for (let i = b * block; i < end; i++) {
      let v = 0;
      for (const c of channels) v += c[i];
      v *= k;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    min[b] = lo;
    max[b] = hi;
  }
  return { min, max, block, sampleRate };
}

/**
 * Min/max per pixel column for the time window [t0, t0 + width/pxPerSecond) seconds of a
 * track placed at `offset` seconds. Columns outside the track are NaN.
 */
export function columnPeaks(p: Peaks, t0: number, pxPerSecond: number, width: number, offset = 0): { min: Float32Array; max: Float32Array } {
  const min = new Float32Array(width).fill(NaN);
  const max = new Float32Array(width).fill(NaN);
  const blocksPerSec = p.sampleRate / p.block;
  for (let x = 0; x < width; x++) {
    const a = (t0 + x / pxPerSecond - offset) * blocksPerSec;
    const b = (t0 + (x + 1) / pxPerSecond - offset) * blocksPerSec;
    const i0 = Math.max(0, Math.floor(a));
    const i1 = Math.min(p.min.length, Math.max(i0 + 1, Math.ceil(b)));
    if (i0 >= p.min.length || b < 0) continue;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = i0; i < i1; i++) {
      if (p.min[i] < lo) lo = p.min[i];
      if (p.max[i] > hi) hi = p.max[i];
    }
    min[x] = lo;
    max[x] = hi;
  }
  return { min, max };
}
