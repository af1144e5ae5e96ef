/**
 * WAV from untrusted bytes. Everything a file declares (chunk sizes, counts, the RIFF
 * length) is checked against the bytes really present; nothing a file contains can crash,
 * hang or over-allocate. We do not hand these bytes to `wavefile`, which was measured
 * aborting on crafted counts and misreading extensible float.
 */
import { MAX_AUDIO_BYTES } from '../../common/engine-api';
import type { CollectOptions, DecodedAudio } from './collect';
import { collectPcm, type PcmSource } from './pcm';
import { checkFileSize, refuse } from './refuse';
import { fourCC, scanChunks, u32, type RiffChunk } from './riff';
import { FormatProblem, parseFormat } from './wav-format';

/** Limits for `decodeWav`. */
export interface DecodeOptions {
  /** Largest file accepted, in bytes. Default MAX_AUDIO_BYTES (1 GiB). */
  maxBytes?: number;
  /** Fewest frames (samples per channel) accepted. Default 1. */
  minFrames?: number;
}

/** RF64 keeps the real data size in a "ds64" chunk that must come first. */
function rf64DataSize(bytes: Uint8Array, name: string): number {
  if (bytes.length < 12 + 8 + 24 || fourCC(bytes, 12) !== 'ds64' || u32(bytes, 16) < 24) {
    refuse('INVALID_INPUT', name, 'it is an RF64 file without a readable "ds64" size chunk');
  }
  // Sizes above 2^53 cannot be represented, but anything above the file length is
  // bounded by the chunk reader anyway.
  return u32(bytes, 28) + u32(bytes, 32) * 0x100000000;
}

/**
 * Find a WAV file's sample layout and data. `bytes` must be at least 12 bytes long.
 * @throws GramophoneError as `decodeWav`, for everything the header shows
 */
export function parseWav(bytes: Uint8Array, name: string): PcmSource {
  const warnings: string[] = [];
  const magic = fourCC(bytes, 0);
  if (magic === 'RIFX') refuse('UNSUPPORTED_AUDIO', name, 'big-endian (RIFX) WAV files are not supported');
  if ((magic !== 'RIFF' && magic !== 'RF64') || fourCC(bytes, 8) !== 'WAVE') {
    refuse('INVALID_INPUT', name, 'it is not a WAV file (no RIFF/WAVE header)');
  }
  const dataSize = magic === 'RF64' ? rf64DataSize(bytes, name) : undefined;
  const scan = scanChunks(bytes, 12, bytes.length, { dataSize });
  warnings.push(...scan.warnings);
  const fmtChunk = scan.chunks.find((c) => c.id === 'fmt ');
  const dataChunks = scan.chunks.filter((c) => c.id === 'data');
  const data: RiffChunk | undefined = dataChunks[0];

  if (magic === 'RIFF') {
    const declared = u32(bytes, 4);
    const actual = bytes.length - 8;
    if (declared === 0 || declared === 0xffffffff) {
      warnings.push('the file size in the header is a placeholder (left by a streaming writer); used the real file length');
    } else if (declared > actual + 1 && !data?.truncated) {
      warnings.push(`the file is ${declared - actual} bytes shorter than its header says`);
    } else if (declared + 1 < actual) {
      warnings.push(`the header says the file is ${actual - declared} bytes shorter than it is; read the whole file`);
    }
  }

  // When a chunk is missing, what the scan stumbled on is usually the real story.
  const notes = [...scan.warnings];
  const last = scan.chunks[scan.chunks.length - 1];
  if (last?.truncated && last.id !== 'data') {
    notes.push(`its "${last.id.trim()}" chunk claims ${last.declaredSize} bytes but only ${last.size} are there`);
  }
  const scanNote = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  if (!fmtChunk) refuse('INVALID_INPUT', name, `it has no "fmt " chunk describing its audio format${scanNote}`);
  if (scan.chunks.filter((c) => c.id === 'fmt ').length > 1) warnings.push('it has more than one "fmt " chunk; used the first');
  let parsed;
  try {
    parsed = parseFormat(bytes.subarray(fmtChunk.offset, fmtChunk.offset + fmtChunk.size));
  } catch (e) {
    if (e instanceof FormatProblem) refuse(e.kind === 'unsupported' ? 'UNSUPPORTED_AUDIO' : 'INVALID_INPUT', name, e.message);
    throw e;
  }
  const fmt = parsed.format;
  warnings.push(...parsed.warnings);

  if (!data) refuse('INVALID_INPUT', name, `it has no "data" chunk, so there is no audio in it${scanNote}`);
  if (dataChunks.length > 1) warnings.push('it has more than one "data" chunk; used the first');

  const frames = Math.floor(data.size / fmt.blockAlign);
  if (data.truncated) {
    warnings.push(`the audio data is cut short: the header promises ${data.declaredSize} bytes but only ${data.size} are there; kept the ${frames} whole frames`);
  } else if (data.size % fmt.blockAlign !== 0) {
    warnings.push(`ignored ${data.size % fmt.blockAlign} bytes of an incomplete last frame`);
  }
  return { layout: fmt, offset: data.offset, frames, warnings };
}

/**
 * Decode a WAV file to Float32 channels.
 *
 * Accepts integer PCM of 1–32 bits (8-bit unsigned, wider signed, samples left-justified
 * in their container), IEEE float 32/64, G.711 A-law and µ-law (decoded to linear), each
 * plain or WAVE_FORMAT_EXTENSIBLE (the real format is read from the sub-format GUID), in
 * RIFF or RF64 containers, any channel count, 8–192 kHz. Metadata chunks are skipped.
 *
 * Repairs, each reported in `warnings`:
 * - RIFF size field wrong (0 or 0xFFFFFFFF from streaming writers, or any other mismatch):
 *   the real byte length is trusted.
 * - Data chunk cut short, or a data size of 0 left by a streaming writer: the whole frames
 *   present are kept; a trailing partial frame is dropped.
 * - NaN or ±Infinity float samples are set to 0 (they would poison every later sum).
 * - Float data peaking above full scale is scaled down so its peak is exactly 1
 *   (a gain change, not clipping, so the timbre analysed is the one recorded).
 *
 * @param bytes the whole file
 * @param name the file name shown to the person (used in messages)
 * @throws GramophoneError UNSUPPORTED_AUDIO for compressed codecs, unknown extensible
 *   sub-formats, RIFX and bit depths we do not read; INVALID_INPUT for anything that is not
 *   a usable WAV (not RIFF/WAVE, no fmt or data chunk, zero channels, no samples, fewer than
 *   `minFrames` frames, over `maxBytes`, sample rate outside 8–192 kHz); OUT_OF_MEMORY when
 *   the decoded audio cannot be allocated. Every message names the file and the reason.
 */
export function decodeWav(bytes: Uint8Array, name: string, opts: DecodeOptions = {}): DecodedAudio {
  checkFileSize(bytes.length, name, opts.maxBytes ?? MAX_AUDIO_BYTES);
  return collectWav(bytes, name, { minFrames: opts.minFrames });
}

/** Parse and decode a WAV whose size was already checked, into a collector made with `opts`. */
export function collectWav(bytes: Uint8Array, name: string, opts: CollectOptions): DecodedAudio {
  if (bytes.length < 12) refuse('INVALID_INPUT', name, `it is only ${bytes.length} bytes long, too short to be a WAV file`);
  return collectPcm(bytes, name, parseWav(bytes, name), opts);
}
