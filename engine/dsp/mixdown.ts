/**
 * Channel mix-down for analysis, which is mono.
 */
import { GramophoneError } from '../../common/errors';

/**
 * Mix channels to mono by averaging them, so a full-scale signal that is identical in
 * every channel stays full scale (a sum would clip) and levels match the mono source.
 *
 * @param channels channels × frames, every channel the same length
 * @returns a new Float32Array of `frames` samples (a copy when there is one channel)
 * @throws GramophoneError INVALID_INPUT for no channels or channels of unequal length
 */
export function mixdown(channels: Float32Array[]): Float32Array {
  if (channels.length === 0) throw new GramophoneError('INVALID_INPUT', 'Cannot mix down audio with no channels.');
  const frames = channels[0].length;
  if (channels.some((c) => c.length !== frames)) {
    throw new GramophoneError('INVALID_INPUT', 'Cannot mix down channels of different lengths.');
  }
  if (channels.length === 1) return channels[0].slice();
  const sum = new Float64Array(frames);
  for (const ch of channels) for (let i = 0; i < frames; i++) sum[i] += ch[i];
  const out = new Float32Array(frames);
  const g = 1 / channels.length;
  for (let i = 0; i < frames; i++) out[i] = sum[i] * g;
  return out;
}
