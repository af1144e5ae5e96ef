/**
 * What an input's levels say before it is rendered: a silent or nearly silent file, or one
 * whose waveform sits off zero (a DC offset), is accepted but the person is told, because a
 * take is normalised up to full scale and would otherwise turn a near-silent hiss, or an
 * offset, into something loud without a word.
 */
import { gainToDb } from '../../common/units';

/** A file whose peak is below this (dBFS) is nearly silent. */
export const NEAR_SILENT_DB = -50;
/**
 * A mean (DC offset) is reported when it is above this (dBFS; converters are offset well
 * below −60 dBFS)…
 */
export const DC_OFFSET_DB = -40;
/**
 * …and holds at least this share of the signal's power: the mean of a short, lopsided sound
 * (a kick drum's first swing, a few cycles of a low tone) is not an offset.
 */
export const DC_POWER_SHARE = 0.1;
/** With the offset removed, a signal below this RMS (dBFS) has no sound in it. */
const NO_SOUND_DB = -70;

/**
 * Level warnings for decoded audio, in words (none for an ordinary file).
 * @param channels channels × frames, samples in [-1, 1]
 */
export function levelWarnings(channels: readonly Float32Array[]): string[] {
  let peak = 0;
  let worstMean = 0;
  let soundRms = 0;
  let offsetShare = 0;
  for (const ch of channels) {
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < ch.length; i++) {
      const v = ch[i];
      sum += v;
      sumSq += v * v;
      const a = Math.abs(v);
      if (a > peak) peak = a;
    }
    const n = Math.max(1, ch.length);
    const mean = sum / n;
    if (Math.abs(mean) > Math.abs(worstMean)) {
      worstMean = mean;
      offsetShare = sumSq > 0 ? (mean * mean * n) / sumSq : 0;
    }
    soundRms = Math.max(soundRms, Math.sqrt(Math.max(0, sumSq / n - mean * mean)));
  }
  const db = (x: number) => gainToDb(x).toFixed(1);
  if (peak === 0) return ['it is silent (every sample is zero): there is nothing in it to render'];
  const offset = Math.abs(worstMean) > 10 ** (DC_OFFSET_DB / 20) && offsetShare >= DC_POWER_SHARE;
  if (offset && soundRms < 10 ** (NO_SOUND_DB / 20)) {
    return [`it holds only a constant level (a DC offset of ${db(Math.abs(worstMean))} dBFS) and no sound`];
  }
  const warnings: string[] = [];
  if (peak < 10 ** (NEAR_SILENT_DB / 20)) {
    warnings.push(`it is nearly silent (its peak is ${db(peak)} dBFS): a take made from it is normalised up, and any noise in it with it`);
  }
  if (offset) {
    warnings.push(`its waveform sits off zero (a DC offset of ${db(Math.abs(worstMean))} dBFS): the offset carries no sound but takes up level; remove it (a high-pass filter) for a cleaner take`);
  }
  return warnings;
}
