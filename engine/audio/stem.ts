/**
 * Stem export: a finished mono take turned into the WAV a musician drags into a DAW.
 */
import type { ExportFormat } from '../../common/audio';
import { GramophoneError } from '../../common/errors';
import { resample } from '../dsp/resample';
import { encodeWav, type EncodeOptions, type WavMeta } from './wav-encode';

/**
 * Encode a mono take as a stem: resampled to 44.1/48 kHz when the format asks (band-limited,
 * see `resample`), written as mono or dual-mono stereo (the same samples in both channels),
 * in the format's encoding, with `meta.comment` (the preset JSON) embedded as ICMT.
 *
 * @param samples mono take, nominally in [−1, 1]
 * @param sampleRate the take's rate in Hz (the engine rate), a positive integer
 * @param format encoding, output rate ('engine' keeps `sampleRate`) and channel count
 * @param options passed to `encodeWav` (e.g. TPDF dither for 16-bit)
 * @returns the complete WAV file
 * @throws GramophoneError INVALID_INPUT for an empty take or a bad rate
 */
export function encodeStem(samples: Float32Array, sampleRate: number, format: ExportFormat, meta: WavMeta = {}, options: EncodeOptions = {}): Uint8Array {
  if (samples.length === 0) throw new GramophoneError('INVALID_INPUT', 'Cannot export an empty take.');
  const rate = format.sampleRate === 'engine' ? sampleRate : format.sampleRate;
  const mono = rate === sampleRate ? samples : resample(samples, sampleRate, rate);
  const channels = format.channels === 2 ? [mono, mono] : [mono];
  return encodeWav(channels, rate, format.encoding, meta, options);
}
