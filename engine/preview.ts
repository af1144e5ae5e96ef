/**
 * Small snapshots of the spectrogram being optimised, for the live preview in the UI.
 */
import type { Preview } from '../common/audio';

/**
 * Downsample X (frames × bins row-major, log1p magnitude) to at most maxFrames × maxBins by
 * taking the maximum over each block (so thin partials stay visible), scaled to 0..255
 * against `ceiling` (the largest value of the content, so successive previews compare).
 */
export function spectrogramPreview(x: Float32Array, frames: number, bins: number, ceiling: number, maxFrames = 160, maxBins = 96): Preview {
  const outFrames = Math.max(1, Math.min(frames, maxFrames));
  const outBins = Math.max(1, Math.min(bins, maxBins));
  const data = new Uint8Array(outFrames * outBins);
  const scale = ceiling > 0 ? 255 / ceiling : 0;
  for (let i = 0; i < outFrames; i++) {
    const t0 = Math.floor((i * frames) / outFrames);
    const t1 = Math.max(t0 + 1, Math.floor(((i + 1) * frames) / outFrames));
    for (let j = 0; j < outBins; j++) {
      const f0 = Math.floor((j * bins) / outBins);
      const f1 = Math.max(f0 + 1, Math.floor(((j + 1) * bins) / outBins));
      let m = 0;
      for (let t = t0; t < t1; t++) for (let f = f0; f < f1; f++) m = Math.max(m, x[t * bins + f]);
      data[i * outBins + j] = Math.min(255, Math.round(m * scale));
    }
  }
  return { frames: outFrames, bins: outBins, data };
}
