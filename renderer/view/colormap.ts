/**
 * Colour maps for spectrograms as 256-entry RGB lookup tables, interpolated from a few
 * control points sampled from the perceptually uniform matplotlib maps (magma, inferno,
 * viridis) plus plain grey.
 */
import type { ColorMapName } from '../state/app-state';

/** Control points: evenly spaced from 0 to 1, RGB 0..255. */
const POINTS: Record<ColorMapName, [number, number, number][]> = {
  magma: [
    [0, 0, 4],
    [28, 16, 68],
    [79, 18, 123],
    [129, 37, 129],
    [181, 54, 122],
    [229, 80, 100],
    [251, 135, 97],
    [254, 194, 135],
    [252, 253, 191],
  ],
  inferno: [
    [0, 0, 4],
    [31, 12, 72],
    [85, 15, 109],
    [136, 34, 106],
    [186, 54, 85],
    [227, 89, 51],
    [249, 140, 10],
    [249, 201, 50],
    [252, 255, 164],
  ],
  viridis: [
    [68, 1, 84],
    [72, 36, 117],
    [65, 68, 135],
    [53, 95, 141],
    [42, 120, 142],
    [31, 158, 137],
    [53, 183, 121],
    [144, 215, 67],
    [253, 231, 37],
  ],
  grey: [
    [0, 0, 0],
    [255, 255, 255],
  ],
};

const cache = new Map<ColorMapName, Uint8Array>();

/** RGB lookup table: 256 entries × 3 bytes, index 0 = lowest level. */
export function colorLut(name: ColorMapName): Uint8Array {
  const hit = cache.get(name);
  if (hit) return hit;
  const pts = POINTS[name];
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const x = (i / 255) * (pts.length - 1);
    const k = Math.min(pts.length - 2, Math.floor(x));
    const t = x - k;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(pts[k][c] * (1 - t) + pts[k + 1][c] * t);
  }
  cache.set(name, lut);
  return lut;
}

/** CSS colour of a LUT entry (for legends). */
export function lutCss(name: ColorMapName, level01: number): string {
  const lut = colorLut(name);
  const i = Math.max(0, Math.min(255, Math.round(level01 * 255))) * 3;
  return `rgb(${lut[i]},${lut[i + 1]},${lut[i + 2]})`;
}
