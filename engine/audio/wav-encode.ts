/**
 * WAV encoding: 16/24-bit PCM or 32-bit float, with the render's preset embedded as a
 * LIST/INFO comment. Written by hand because the layout is small and fixed.
 */
import { GramophoneError } from '../../common/errors';
import type { Rng } from '../random';
import { GUID_TAIL, WAVE_FORMAT } from './wav-format';
import { buildInfoChunk, writeHeader } from './wav-info';

/** Sample encodings we write. */
export type WavEncoding = 'pcm16' | 'pcm24' | 'float32';

/** Text embedded in the file's LIST/INFO chunk. */
export interface WavMeta {
  /** Stored as ICMT; Gramophone puts the preset JSON here. */
  comment?: string;
  /** Stored as INAM. */
  title?: string;
}

export interface EncodeOptions {
  /**
   * Add TPDF dither (±1 LSB triangular) before rounding to integer PCM, drawn from this
   * seeded generator so an export is reproducible. Default: no dither (plain rounding).
   */
  dither?: Rng;
}

/** The name written as ISFT in every file. */
export const SOFTWARE_NAME = 'Gramophone';

const FORMATS: Record<WavEncoding, { bytes: number; float: boolean }> = {
  pcm16: { bytes: 2, float: false },
  pcm24: { bytes: 3, float: false },
  float32: { bytes: 4, float: true },
};

/** Speaker masks (dwChannelMask) for 3–8 channels in the usual WAV orders. */
const CHANNEL_MASKS: Record<number, number> = { 3: 0x7, 4: 0x33, 5: 0x37, 6: 0x3f, 7: 0x70f, 8: 0x63f };

function fmtChunk(encoding: WavEncoding, channels: number, sampleRate: number): Uint8Array {
  const { bytes, float } = FORMATS[encoding];
  const tag = float ? WAVE_FORMAT.IEEE_FLOAT : WAVE_FORMAT.PCM;
  // Microsoft asks for EXTENSIBLE beyond two channels so the speaker layout is stated;
  // mono and stereo stay in the plain form every reader knows.
  const extensible = channels > 2;
  const bodySize = extensible ? 40 : float ? 18 : 16;
  const out = new Uint8Array(8 + bodySize);
  const v = new DataView(out.buffer);
  writeHeader(out, 0, 'fmt ', bodySize);
  v.setUint16(8, extensible ? WAVE_FORMAT.EXTENSIBLE : tag, true);
  v.setUint16(10, channels, true);
  v.setUint32(12, sampleRate, true);
  v.setUint32(16, sampleRate * channels * bytes, true);
  v.setUint16(20, channels * bytes, true);
  v.setUint16(22, bytes * 8, true);
  if (bodySize >= 18) v.setUint16(24, extensible ? 22 : 0, true);
  if (extensible) {
    v.setUint16(26, bytes * 8, true);
    v.setUint32(28, CHANNEL_MASKS[channels] ?? 0, true);
    v.setUint16(32, tag, true);
    out.set(GUID_TAIL, 34);
  }
  return out;
}

/** Float sample → integer code of `bits`, rounded and clipped; NaN becomes 0. */
function quantiser(bits: number, dither: Rng | undefined): (x: number) => number {
  const scale = 2 ** (bits - 1);
  const max = scale - 1;
  return (x: number) => {
    let s = Number.isNaN(x) ? 0 : x * scale;
    if (dither) s += dither.next() - dither.next();
    const q = Math.round(s);
    return q > max ? max : q < -scale ? -scale : q;
  };
}

/** A WAV file's layout before its samples: everything up to and including the data chunk's header. */
export interface WavLayout {
  /** RIFF · fmt · fact · LIST/INFO · the data chunk's 8-byte header. */
  header: Uint8Array;
  /** Bytes of sample data that follow the header (frames × channels × bytes per sample). */
  dataSize: number;
  /** Bytes of the whole file: header, data and the pad byte an odd data size needs. */
  total: number;
}

/**
 * The header of a WAV file of `frames` frames (see `encodeWav` for the layout), so a writer
 * can put it first and stream the samples after it.
 * @param channels channel count, 1–65535
 * @param frames samples per channel
 * @param sampleRate in Hz, a positive integer
 * @throws GramophoneError INVALID_INPUT for a bad channel count or rate, or audio too long
 *   for a 4 GiB WAV
 */
export function wavLayout(channels: number, frames: number, sampleRate: number, encoding: WavEncoding, meta: WavMeta = {}): WavLayout {
  if (channels === 0 || channels > 65535) throw new GramophoneError('INVALID_INPUT', `Cannot write a WAV with ${channels} channels.`);
  if (!Number.isInteger(sampleRate) || sampleRate <= 0 || sampleRate > 0xffffffff) {
    throw new GramophoneError('INVALID_INPUT', `Cannot write a WAV at a sample rate of ${sampleRate} Hz.`);
  }
  const { bytes: width, float } = FORMATS[encoding];
  const fmt = fmtChunk(encoding, channels, sampleRate);
  const fact = float ? new Uint8Array(12) : new Uint8Array(0);
  if (float) {
    writeHeader(fact, 0, 'fact', 4);
    new DataView(fact.buffer).setUint32(8, Math.min(frames, 0xffffffff), true);
  }
  const info = buildInfoChunk({ ISFT: SOFTWARE_NAME, INAM: meta.title, ICMT: meta.comment });
  const dataSize = frames * channels * width;
  const headerSize = 12 + fmt.length + fact.length + info.length + 8;
  const total = headerSize + dataSize + (dataSize % 2);
  if (total - 8 > 0xffffffff) {
    throw new GramophoneError('INVALID_INPUT', 'This take is too long to fit in a WAV file (over 4 GB); export it at a lower rate or depth.');
  }
  const header = new Uint8Array(headerSize);
  writeHeader(header, 0, 'RIFF', total - 8);
  header.set([0x57, 0x41, 0x56, 0x45], 8); // "WAVE"
  let at = 12;
  for (const part of [fmt, fact, info]) {
    header.set(part, at);
    at += part.length;
  }
  writeHeader(header, at, 'data', dataSize);
  return { header, dataSize, total };
}

/**
 * Write frames of `channels` as interleaved samples of `encoding` into `out` from byte `at`
 * (integer codes rounded and clipped, floats as `encodeWav` says).
 * @param channels channels × frames, every channel the same length
 * @param dither drawn channel by channel, first to last, as `encodeWav` does
 */
export function encodeSamples(channels: Float32Array[], encoding: WavEncoding, out: Uint8Array, at: number, dither?: Rng): void {
  const { bytes: width, float } = FORMATS[encoding];
  const nch = channels.length;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const stride = nch * width;
  for (let c = 0; c < nch; c++) {
    const ch = channels[c];
    let p = at + c * width;
    if (float) {
      for (let i = 0; i < ch.length; i++, p += stride) {
        const x = ch[i];
        view.setFloat32(p, Number.isNaN(x) ? 0 : x === Infinity ? 1 : x === -Infinity ? -1 : x, true);
      }
    } else {
      const q = quantiser(width * 8, dither);
      for (let i = 0; i < ch.length; i++, p += stride) {
        const v = q(ch[i]);
        out[p] = v & 0xff;
        out[p + 1] = (v >> 8) & 0xff;
        if (width === 3) out[p + 2] = (v >> 16) & 0xff;
      }
    }
  }
}

/** Bytes per frame of `channels` channels in `encoding`. */
export const frameBytes = (channels: number, encoding: WavEncoding): number => channels * FORMATS[encoding].bytes;

/**
 * Encode channels as a WAV file.
 *
 * Integer encodings map x to round(x·2^(b−1)) clipped to [−2^(b−1), 2^(b−1)−1], so a
 * decode (÷2^(b−1)) returns x within half an LSB for x in [−1, 1). Float32 keeps values
 * above full scale (floats can), maps ±Infinity to ±1 and NaN to 0.
 * Layout: RIFF · fmt (EXTENSIBLE beyond 2 channels) · fact (float only) · LIST/INFO
 * (ISFT "Gramophone", ICMT comment, INAM title) · data.
 *
 * @param channels channels × frames, every channel the same length, nominally in [−1, 1]
 * @param sampleRate in Hz, a positive integer
 * @throws GramophoneError INVALID_INPUT for no channels, unequal lengths, a bad rate or
 *   audio too long for a 4 GiB WAV
 */
export function encodeWav(channels: Float32Array[], sampleRate: number, encoding: WavEncoding, meta: WavMeta = {}, options: EncodeOptions = {}): Uint8Array {
  const frames = channels[0]?.length ?? 0;
  if (channels.some((c) => c.length !== frames)) {
    throw new GramophoneError('INVALID_INPUT', 'Cannot write a WAV whose channels differ in length.');
  }
  const { header, total } = wavLayout(channels.length, frames, sampleRate, encoding, meta);
  const out = new Uint8Array(total);
  out.set(header);
  encodeSamples(channels, encoding, out, header.length, options.dither);
  return out;
}
