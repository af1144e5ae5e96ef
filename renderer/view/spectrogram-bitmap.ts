/**
 * Pure mapping from a dB spectrogram to RGBA pixels: time runs left to right (one column
 * per frame), frequency bottom to top on a linear or log axis, levels through a colour map.
 * The result is cached per lane and drawn scaled, so scrolling and zooming never recompute it.
 */
import type { Spectrogram } from '../../common/audio';
import { colorLut } from './colormap';
import type { ColorMapName } from '../state/app-state';

/** Lowest frequency shown on the log axis, Hz. */
export const LOG_MIN_HZ = 30;

/** Frequency in Hz at the vertical position y01 (0 = top, 1 = bottom) of the view. */
export function yToHz(y01: number, nyquist: number, scale: 'linear' | 'log'): number {
  const up = 1 - Math.max(0, Math.min(1, y01));
  return scale === 'linear' ? up * nyquist : LOG_MIN_HZ * Math.pow(nyquist / LOG_MIN_HZ, up);
}

/** Vertical position (0 = top, 1 = bottom) of a frequency. */
export function hzToY(hz: number, nyquist: number, scale: 'linear' | 'log'): number {
  if (scale === 'linear') return 1 - hz / nyquist;
  return 1 - Math.log(Math.max(hz, LOG_MIN_HZ) / LOG_MIN_HZ) / Math.log(nyquist / LOG_MIN_HZ);
}

/**
 * Whether a bitmap `have` rows tall may be drawn into `want` device pixels rather than be
 * colour-mapped again: it is never stretched up, and scaled down at most twofold. A lane that
 * shrinks (a streaming take's or a new take's lane appearing) keeps its bitmap; mapping a
 * minute of spectrogram again took 110–190 ms of the page's main thread.
 */
export function reusesRows(have: number, want: number): boolean {
  return have >= want && have <= 2 * want;
}

export interface BitmapOptions {
  height: number;
  colorMap: ColorMapName;
  dbMin: number;
  dbMax: number;
  scale: 'linear' | 'log';
  /** Highest frequency shown (the frequency zoom), Hz; the Nyquist frequency when missing or above it. */
  top?: number;
}

/** The top of the frequency axis: the zoom's top, within (the log floor, Nyquist], Hz. */
export const shownTop = (nyquist: number, top?: number): number => (top && top > LOG_MIN_HZ * 2 && top < nyquist ? top : nyquist);

/**
 * RGBA bytes of size frames × height × 4 (row-major, top row first). Each row shows the
 * loudest bin it covers, or interpolates between bins where rows are finer than bins.
 */
export function spectrogramPixels(s: Spectrogram, o: BitmapOptions): Uint8ClampedArray<ArrayBuffer> {
  const { frames, bins } = s;
  const H = o.height;
  const out = new Uint8ClampedArray(new ArrayBuffer(Math.max(1, frames * H * 4)));
  const nyq = shownTop(s.sampleRate / 2, o.top);
  const binHz = s.sampleRate / s.nFft;
  const lo = new Int32Array(H);
  const hi = new Int32Array(H);
  const frac = new Float32Array(H);
  for (let r = 0; r < H; r++) {
    const fTop = yToHz(r / H, nyq, o.scale) / binHz;
    const fBot = yToHz((r + 1) / H, nyq, o.scale) / binHz;
    lo[r] = Math.max(0, Math.min(bins - 1, Math.ceil(fBot)));
    hi[r] = Math.max(0, Math.min(bins - 1, Math.floor(fTop)));
    frac[r] = (fTop + fBot) / 2;
  }
  const lut = colorLut(o.colorMap);
  const span = 255 / (o.dbMax - o.dbMin);
  for (let t = 0; t < frames; t++) {
    const row = t * bins;
    for (let r = 0; r < H; r++) {
      let v: number;
      if (hi[r] >= lo[r]) {
        v = -Infinity;
        for (let b = lo[r]; b <= hi[r]; b++) if (s.db[row + b] > v) v = s.db[row + b];
      } else {
        const f = Math.min(bins - 1, frac[r]);
        const b0 = Math.floor(f);
        const b1 = Math.min(bins - 1, b0 + 1);
        v = s.db[row + b0] * (1 - (f - b0)) + s.db[row + b1] * (f - b0);
      }
      const i = Math.max(0, Math.min(255, Math.round((v - o.dbMin) * span))) * 3;
      const p = (r * frames + t) * 4;
      out[p] = lut[i];
      out[p + 1] = lut[i + 1];
      out[p + 2] = lut[i + 2];
      out[p + 3] = 255;
    }
  }
  return out;
}

/** Level in dB at (frame, Hz), nearest bin; NaN outside. */
export function levelAt(s: Spectrogram, frame: number, hz: number): number {
  const t = Math.floor(frame);
  const b = Math.round(hz / (s.sampleRate / s.nFft));
  if (t < 0 || t >= s.frames || b < 0 || b >= s.bins) return NaN;
  return s.db[t * s.bins + b];
}

/** Preview (0..255 values, frames × bins, low bin first) to RGBA, bins bottom to top. */
export function previewPixels(data: Uint8Array, frames: number, bins: number, colorMap: ColorMapName): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(new ArrayBuffer(frames * bins * 4));
  const lut = colorLut(colorMap);
  for (let t = 0; t < frames; t++) {
    for (let f = 0; f < bins; f++) {
      const i = data[t * bins + f] * 3;
      const p = ((bins - 1 - f) * frames + t) * 4;
      out[p] = lut[i];
      out[p + 1] = lut[i + 1];
      out[p + 2] = lut[i + 2];
      out[p + 3] = 255;
    }
  }
  return out;
}
