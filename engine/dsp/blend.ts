/**
 * Dry/wet: a take mixed with the content that made it, as the workstation plays it when the
 * take's dry/wet control is below 100 %, so a stem can be exported as heard.
 */
import { mixdown } from './mixdown';
import { resample } from './resample';

/** Peak a blend is brought down to when the mix would clip, dBFS. */
const CEILING_DB = -1;

/**
 * wet·take + (1 − wet)·dryGain·content, with the content mixed to mono, cut at the take's
 * place on its timeline and resampled to the take's rate. A mix that would clip is scaled
 * down to a −1 dBFS peak; one that does not is left at its level.
 *
 * @param take mono take at `takeRate` Hz
 * @param dry the content's channels (channels × frames) at `dryRate` Hz
 * @param offset where the take starts in the content, seconds (its region's start)
 * @param wet 0 = all content, 1 = all take
 * @param dryGain linear gain on the content before mixing
 * @returns a new Float32Array as long as `take`; content past its end is silence
 */
export function blendTake(take: Float32Array, takeRate: number, dry: Float32Array[], dryRate: number, offset: number, wet: number, dryGain: number): Float32Array {
  const w = Math.max(0, Math.min(1, wet));
  const mono = mixdown(dry);
  const from = Math.min(mono.length, Math.round(offset * dryRate));
  // The stretch under the take, plus a few ms so the resampler's edge lands past the end.
  const to = Math.min(mono.length, from + Math.ceil(((take.length + 64) * dryRate) / takeRate));
  const d = resample(mono.subarray(from, to), dryRate, takeRate);
  const out = new Float32Array(take.length);
  const g = (1 - w) * dryGain;
  let peak = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = w * take[i] + g * (i < d.length ? d[i] : 0);
    peak = Math.max(peak, Math.abs(out[i]));
  }
  const ceiling = Math.pow(10, CEILING_DB / 20);
  if (peak > 1) for (let i = 0; i < out.length; i++) out[i] *= ceiling / peak;
  return out;
}
