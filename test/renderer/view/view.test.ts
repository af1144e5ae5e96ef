import { describe, expect, it } from 'vitest';
import { colorLut } from '../../../renderer/view/colormap';
import { hzToY, levelAt, reusesRows, shownTop, spectrogramPixels, yToHz } from '../../../renderer/view/spectrogram-bitmap';
import { columnPeaks, computePeaks } from '../../../renderer/view/peaks';
import type { Spectrogram } from '../../../common/audio';
import { overallProgress } from '../../../renderer/components/render-panel';

const luminance = (lut: Uint8Array, i: number) => 0.2126 * lut[i * 3] + 0.7152 * lut[i * 3 + 1] + 0.0722 * lut[i * 3 + 2];

describe('colour maps', () => {
  it('perceptual maps get brighter monotonically from bottom to top', () => {
    for (const name of ['magma', 'inferno', 'viridis', 'grey'] as const) {
      const lut = colorLut(name);
      expect(lut.length).toBe(768);
      for (let i = 8; i < 256; i += 8) expect(luminance(lut, i), `${name} at ${i}`).toBeGreaterThan(luminance(lut, i - 8));
    }
  });
});

describe('spectrogram bitmap', () => {
  // What the engine's display STFT gives for a full-scale 1 kHz sine at 8 kHz, nFft 512:
  // 0 dB in bin 64 (1000 Hz), its window's main lobe either side, the floor elsewhere.
  const rate = 8000;
  const nFft = 512;
  const bins = nFft / 2 + 1;
  const frames = 64;
  const db = new Float32Array(frames * bins).fill(-160);
  for (let t = 0; t < frames; t++) {
    db[t * bins + 64] = 0;
    db[t * bins + 63] = db[t * bins + 65] = -6;
  }
  const spec: Spectrogram = { frames, bins, sampleRate: rate, nFft, hop: 128, db };

  it('frequency axis maps are inverses on both scales', () => {
    for (const scale of ['linear', 'log'] as const) {
      for (const y of [0.1, 0.5, 0.9]) expect(hzToY(yToHz(y, 4000, scale), 4000, scale)).toBeCloseTo(y, 9);
    }
  });

  it('a 1 kHz sine lights the row at 1 kHz and little else', () => {
    for (const scale of ['linear', 'log'] as const) {
      const H = 128;
      const px = spectrogramPixels(spec, { height: H, colorMap: 'grey', dbMin: -80, dbMax: 60, scale });
      const t = Math.floor(spec.frames / 2);
      let bestRow = 0;
      let best = -1;
      for (let r = 0; r < H; r++) {
        const v = px[(r * spec.frames + t) * 4];
        if (v > best) {
          best = v;
          bestRow = r;
        }
      }
      const hz = yToHz((bestRow + 0.5) / H, 4000, scale);
      expect(Math.abs(hz - 1000) / 1000, scale).toBeLessThan(0.06);
      expect(levelAt(spec, t, 1000)).toBeGreaterThan(levelAt(spec, t, 3000) + 40);
    }
  });

  it('zoomed in frequency (a 2 kHz top) the sine sits half way up a linear axis', () => {
    const H = 100;
    const px = spectrogramPixels(spec, { height: H, colorMap: 'grey', dbMin: -80, dbMax: 60, scale: 'linear', top: 2000 });
    const t = Math.floor(spec.frames / 2);
    const rows = Array.from({ length: H }, (_, r) => px[(r * spec.frames + t) * 4]);
    const bright = rows.indexOf(Math.max(...rows));
    expect(Math.abs(bright - H / 2)).toBeLessThanOrEqual(2);
    // A top above Nyquist (or none) is the whole axis.
    expect(shownTop(4000, 16000)).toBe(4000);
    expect(shownTop(4000, 0)).toBe(4000);
    expect(shownTop(4000, 2000)).toBe(2000);
  });
});

describe('spectrogram bitmap reuse', () => {
  it('keeps a bitmap while its lane shrinks up to half, maps it again when the lane grows past it or halves', () => {
    // A 160-pixel lane losing its share of an 84-pixel streaming lane keeps its bitmap.
    expect(reusesRows(160, 118)).toBe(true);
    expect(reusesRows(160, 160)).toBe(true);
    expect(reusesRows(160, 80)).toBe(true);
    // Never stretched up, never scaled down more than twofold.
    expect(reusesRows(160, 161)).toBe(false);
    expect(reusesRows(160, 79)).toBe(false);
  });
});

describe('waveform peaks', () => {
  it('per-column min/max cover the signal and are NaN outside the track', () => {
    const x = new Float32Array(8000).map((_, i) => (i === 4000 ? 0.9 : i === 6000 ? -0.7 : 0));
    const p = computePeaks([x], 8000, 64);
    const cols = columnPeaks(p, 0, 10, 20, 0.5);
    expect(Number.isNaN(cols.min[0])).toBe(true);
    expect(Math.max(...cols.max.filter((v) => !Number.isNaN(v)))).toBeCloseTo(0.9, 5);
    expect(Math.min(...cols.min.filter((v) => !Number.isNaN(v)))).toBeCloseTo(-0.7, 5);
    // 0.5 s offset + 0.5 s into the track = 1.0 s → column 10.
    expect(cols.max[10]).toBeCloseTo(0.9, 5);
  });
});

describe('render progress', () => {
  it('runs from 0 to 1 across the phases', () => {
    const at = (phase: 'decode' | 'optimise' | 'encode', iteration: number, total: number) => overallProgress({ jobId: 'j', phase, iteration, total, elapsed: 0 });
    expect(at('decode', 0, 0)).toBe(0);
    expect(at('optimise', 5, 10)).toBeGreaterThan(at('optimise', 1, 10));
    expect(at('encode', 0, 0)).toBeGreaterThan(0.9);
  });
});
