/**
 * Spectrogram pictures for looking at takes: a log-frequency dB spectrogram in an
 * inferno-like colour map, written as PNG.
 */
import { stft } from '../../engine/dsp/stft';
import { encodePng } from './png';
import { finiteSamples } from './spectral-distances';

/** Picture settings: STFT nFft 2048, hop 256; 50 Hz – Nyquist on a log axis; 80 dB shown. */
export const PICTURE = { nFft: 2048, hop: 256, rows: 360, fMin: 50, rangeDb: 80 } as const;

/** Colour map anchors from black through purple, red and orange to pale yellow (value 0 → 1). */
const ANCHORS: readonly (readonly [number, number, number])[] = [
  [0, 0, 4],
  [87, 16, 110],
  [188, 55, 84],
  [249, 142, 9],
  [252, 255, 164],
];

/** RGB of a value in [0, 1] (clamped), linearly interpolated between the anchors. */
export function colour(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)) * (ANCHORS.length - 1);
  const i = Math.min(ANCHORS.length - 2, Math.floor(x));
  const f = x - i;
  const a = ANCHORS[i];
  const b = ANCHORS[i + 1];
  return [0, 1, 2].map((c) => Math.round(a[c] + f * (b[c] - a[c]))) as [number, number, number];
}

/**
 * A spectrogram picture: one column per STFT frame, `PICTURE.rows` rows from the Nyquist
 * frequency (top) down to fMin (bottom) equally spaced in log frequency. A row shows the
 * loudest bin between its edges (or the nearest bin when none falls inside), in dB relative
 * to the signal's loudest bin, mapped from −rangeDb (black) to 0 dB (pale yellow).
 * @returns PNG bytes
 */
export function spectrogramPng(signal: Float32Array, sampleRate: number): Uint8Array {
  const { nFft, hop, rows, fMin, rangeDb } = PICTURE;
  const spec = stft(finiteSamples(signal), { nFft, hop });
  const { frames, bins } = spec;
  const db = new Float32Array(frames * bins);
  let max = -Infinity;
  for (let i = 0; i < db.length; i++) {
    db[i] = 10 * Math.log10(spec.re[i] * spec.re[i] + spec.im[i] * spec.im[i] + 1e-30);
    if (db[i] > max) max = db[i];
  }
  const nyquist = sampleRate / 2;
  const binOf = (f: number) => (f * nFft) / sampleRate;
  const edge = (r: number) => fMin * Math.pow(nyquist / fMin, r / rows); // r = 0 is the bottom edge
  const rgb = new Uint8Array(frames * rows * 3);
  for (let r = 0; r < rows; r++) {
    const lo = Math.ceil(binOf(edge(r)));
    const hi = Math.min(bins - 1, Math.floor(binOf(edge(r + 1))));
    const nearest = Math.min(bins - 1, Math.round(binOf(Math.sqrt(edge(r) * edge(r + 1)))));
    const y = rows - 1 - r;
    for (let t = 0; t < frames; t++) {
      let v = -Infinity;
      for (let k = lo; k <= hi; k++) v = Math.max(v, db[t * bins + k]);
      if (hi < lo) v = db[t * bins + nearest];
      const [cr, cg, cb] = colour(1 + (v - max) / rangeDb);
      const o = (y * frames + t) * 3;
      rgb[o] = cr;
      rgb[o + 1] = cg;
      rgb[o + 2] = cb;
    }
  }
  return encodePng(frames, rows, rgb);
}
