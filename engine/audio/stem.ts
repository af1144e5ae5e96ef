/**
 * Stem export: a finished mono take turned into the WAV a musician drags into a DAW, either
 * as bytes (the workstation's export) or streamed to a file (the command line, whose takes
 * may be an hour long).
 */
import type { ExportFormat } from '../../common/audio';
import { GramophoneError } from '../../common/errors';
import { StreamResampler, resample } from '../dsp/resample';
import { writeFileAtomicStreamed, type AtomicFs } from '../io/atomic-write';
import { encodeSamples, encodeWav, frameBytes, wavLayout, type EncodeOptions, type WavMeta } from './wav-encode';

/** Take samples encoded per block when streaming: 32 768 samples (1.5 s at 22.05 kHz) keep each block's bytes under 1 MB. */
const STREAM_BLOCK = 1 << 15;

function stemShape(samples: Float32Array, sampleRate: number, format: ExportFormat) {
  if (samples.length === 0) throw new GramophoneError('INVALID_INPUT', 'Cannot export an empty take.');
  const rate = format.sampleRate === 'engine' ? sampleRate : format.sampleRate;
  return { rate, channels: format.channels === 2 ? 2 : 1 };
}

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
  const { rate, channels } = stemShape(samples, sampleRate, format);
  const mono = rate === sampleRate ? samples : resample(samples, sampleRate, rate);
  return encodeWav(channels === 2 ? [mono, mono] : [mono], rate, format.encoding, meta, options);
}

/**
 * Write a mono take as a stem file, byte for byte the file `encodeStem` makes (without
 * dither), streamed: the header first, then the take resampled and encoded block by block,
 * so only a block of the resampled take and of its bytes is held at a time (an hour at
 * 44.1 kHz would be 635 MB of floats and 476 MB of 24-bit bytes). The file appears at `path`
 * only when complete (see `writeFileAtomicStreamed`); on any error nothing is left.
 *
 * @param path the stem file to write
 * @param samples mono take, nominally in [−1, 1]
 * @param sampleRate the take's rate in Hz, a positive integer
 * @param format encoding, output rate ('engine' keeps `sampleRate`) and channel count
 * @param fs file-system implementation; node:fs/promises by default
 * @returns the file's size in bytes
 * @throws GramophoneError INVALID_INPUT for an empty take, a bad rate or a take too long for
 *   a WAV (before any file is made); IO_ERROR naming the file when the disk fails
 */
export async function writeStemFile(path: string, samples: Float32Array, sampleRate: number, format: ExportFormat, meta: WavMeta = {}, fs?: AtomicFs): Promise<number> {
  const { rate, channels } = stemShape(samples, sampleRate, format);
  const resampler = new StreamResampler(sampleRate, rate);
  const frames = Math.round((samples.length * rate) / sampleRate);
  const layout = wavLayout(channels, frames, rate, format.encoding, meta);
  const width = frameBytes(channels, format.encoding);
  const writeBlock = async (write: (bytes: Uint8Array) => Promise<void>, mono: Float32Array) => {
    if (mono.length === 0) return;
    const bytes = new Uint8Array(mono.length * width);
    encodeSamples(channels === 2 ? [mono, mono] : [mono], format.encoding, bytes, 0);
    await write(bytes);
  };
  await writeFileAtomicStreamed(
    path,
    async (write) => {
      await write(layout.header);
      for (let at = 0; at < samples.length; at += STREAM_BLOCK) {
        resampler.push(samples.subarray(at, at + STREAM_BLOCK));
        await writeBlock(write, resampler.drain());
      }
      await writeBlock(write, resampler.end());
      if (layout.dataSize % 2) await write(new Uint8Array(1));
    },
    fs,
  );
  return layout.total;
}
