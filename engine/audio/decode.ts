/**
 * One entry point for every audio file: `decodeAudio(bytes, name)` recognises the format by
 * content and hands the bytes to its reader. WAV and AIFF are read by bounded parsers of our
 * own; MP3, FLAC, Ogg Vorbis and Ogg Opus by wasm decoders in a bounded worker thread.
 * The formats are declared in common/audio-formats.ts.
 */
import { MAX_AUDIO_BYTES } from '../../common/engine-api';
import { parseAiff } from './aiff';
import { MAX_WARNINGS, SampleCollector, type DecodedAudio } from './collect';
import { levelWarnings } from './levels';
import { decodeCompressed } from './compressed';
import { collectPcm } from './pcm';
import { checkFileSize, refuse } from './refuse';
import { sniffFormat } from './sniff';
import { collectWav } from './wav';

export type { DecodedAudio };

/**
 * Most samples (frames × channels) a compressed file may decode to: as many as the largest
 * 16-bit WAV the engine accepts holds, so a small file cannot expand without bound.
 */
export const MAX_DECODED_SAMPLES = MAX_AUDIO_BYTES / 2;

/** Limits and shape of `decodeAudio`'s result. */
export interface DecodeAudioOptions {
  /** Largest file accepted, in bytes. Default MAX_AUDIO_BYTES (1 GiB). */
  maxBytes?: number;
  /** Fewest frames (samples per channel, at the file's rate) accepted. Default 1. */
  minFrames?: number;
  /**
   * Mix to mono and resample to this rate (Hz) while decoding, block by block, so the
   * file's own channels and rate are never held whole (what a render needs). The result
   * then has one channel at this rate.
   */
  monoAt?: number;
  /** Stop a compressed-format decoder that is silent for this long (ms). */
  idleLimitMs?: number;
}

/**
 * Decode any supported audio file to Float32 channels in [-1, 1].
 *
 * Audio above full scale (float WAV/AIFF, lossy decoders' overshoot) is turned down so its
 * peak is exactly 1, and non-finite samples are set to 0, each with a warning. A silent or
 * nearly silent file, or one with a DC offset, is accepted with a warning saying so
 * (levels.ts).
 *
 * @param bytes the whole file
 * @param name the file name shown to the person (used in messages)
 * @throws GramophoneError UNSUPPORTED_AUDIO for formats and codecs recognised but not read
 *   (M4A/AAC, compressed WAV and AIFF-C, …); INVALID_INPUT for anything else that is not
 *   usable audio (unknown, empty, damaged beyond repair, over `maxBytes`, no samples,
 *   sample rate outside 8–192 kHz, decoding to more than MAX_DECODED_SAMPLES);
 *   OUT_OF_MEMORY when the decoded audio cannot be allocated. Every message names the file
 *   and the reason.
 */
export async function decodeAudio(bytes: Uint8Array, name: string, opts: DecodeAudioOptions = {}): Promise<DecodedAudio> {
  const decoded = await decodeByFormat(bytes, name, opts);
  // Accepted, but said: a take is normalised up, so a near-silent or offset input would turn loud without a word.
  const levels = levelWarnings(decoded.channels);
  return levels.length ? { ...decoded, warnings: [...decoded.warnings.slice(0, MAX_WARNINGS - levels.length), ...levels] } : decoded;
}

async function decodeByFormat(bytes: Uint8Array, name: string, opts: DecodeAudioOptions): Promise<DecodedAudio> {
  checkFileSize(bytes.length, name, opts.maxBytes ?? MAX_AUDIO_BYTES);
  const sniffed = sniffFormat(bytes);
  if ('unsupported' in sniffed) refuse('UNSUPPORTED_AUDIO', name, sniffed.unsupported);
  if ('unknown' in sniffed) refuse('INVALID_INPUT', name, sniffed.unknown);
  const collect = { minFrames: opts.minFrames, monoAt: opts.monoAt };
  switch (sniffed.format) {
    case 'wav':
      return collectWav(bytes, name, collect);
    case 'aiff':
      return collectPcm(bytes, name, parseAiff(bytes, name), collect);
    default: {
      const collector = new SampleCollector(name, { ...collect, maxSamples: MAX_DECODED_SAMPLES });
      return decodeCompressed(bytes.subarray(sniffed.offset), name, sniffed.format, collector, { idleLimitMs: opts.idleLimitMs });
    }
  }
}
