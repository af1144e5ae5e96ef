/**
 * Uncompressed interleaved sample bytes (WAV, AIFF) → one Float32Array per channel.
 */
import { SampleCollector, type CollectOptions, type DecodedAudio } from './collect';

/** How one sample is stored: unsigned 8-bit, signed integer, IEEE float, or G.711. */
export type SampleKind = 'uint8' | 'int' | 'float' | 'alaw' | 'mulaw';

/** A decodable layout of interleaved samples. */
export interface PcmLayout {
  kind: SampleKind;
  channels: number;
  /** Samples per second per channel, in Hz. */
  sampleRate: number;
  /** Bytes one sample occupies (1–4, or 8 for float 64). */
  containerBytes: number;
  /** Meaningful bits per sample as the header declares them. */
  bits: number;
  /** Bytes per frame (all channels of one instant) used to walk the data. */
  blockAlign: number;
  /** AIFF stores samples big-endian, WAV little-endian. */
  bigEndian: boolean;
  /** Words for a person, e.g. "PCM 16-bit", "float 32-bit (extensible)". */
  label: string;
}

/** ITU-T G.711 µ-law byte → 16-bit linear value. */
function mulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const magnitude = (((u & 0x0f) << 3) + 0x84) << ((u >> 4) & 0x07);
  return u & 0x80 ? 0x84 - magnitude : magnitude - 0x84;
}

/** ITU-T G.711 A-law byte → 16-bit linear value (A-law's sign bit set means positive). */
function alawToLinear(byte: number): number {
  const a = byte ^ 0x55;
  const exponent = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

let g711: { alaw: Float32Array; mulaw: Float32Array } | null = null;
function g711Tables() {
  if (!g711) {
    const alaw = new Float32Array(256);
    const mulaw = new Float32Array(256);
    for (let b = 0; b < 256; b++) {
      alaw[b] = alawToLinear(b) / 32768;
      mulaw[b] = mulawToLinear(b) / 32768;
    }
    g711 = { alaw, mulaw };
  }
  return g711;
}

/**
 * Decode `frames` whole frames starting at `bytes[offset]`. Integer samples are
 * left-justified in their container (WAV and AIFF agree), so reading the whole container
 * scales them. Float values are returned as stored, NaN and beyond full scale included.
 * The caller guarantees `offset + frames × blockAlign ≤ bytes.length`.
 * @returns channels × frames
 */
export function decodeSamples(bytes: Uint8Array, offset: number, frames: number, fmt: PcmLayout): Float32Array[] {
  const { channels: nch, blockAlign, containerBytes: cb, kind } = fmt;
  const le = !fmt.bigEndian;
  const channels = Array.from({ length: nch }, () => new Float32Array(frames));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let c = 0; c < nch; c++) {
    const out = channels[c];
    let p = offset + c * cb;
    if (kind === 'uint8') {
      for (let i = 0; i < frames; i++, p += blockAlign) out[i] = (bytes[p] - 128) / 128;
    } else if (kind === 'alaw' || kind === 'mulaw') {
      const table = g711Tables()[kind];
      for (let i = 0; i < frames; i++, p += blockAlign) out[i] = table[bytes[p]];
    } else if (kind === 'int' && cb === 1) {
      for (let i = 0; i < frames; i++, p += blockAlign) out[i] = view.getInt8(p) / 128;
    } else if (kind === 'int' && cb === 2) {
      for (let i = 0; i < frames; i++, p += blockAlign) out[i] = view.getInt16(p, le) / 32768;
    } else if (kind === 'int' && cb === 3 && le) {
      for (let i = 0; i < frames; i++, p += blockAlign) {
        out[i] = (((bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)) << 8) >> 8) / 8388608;
      }
    } else if (kind === 'int' && cb === 3) {
      for (let i = 0; i < frames; i++, p += blockAlign) {
        out[i] = ((((bytes[p] << 16) | (bytes[p + 1] << 8) | bytes[p + 2]) << 8) >> 8) / 8388608;
      }
    } else if (kind === 'int' && cb === 4) {
      for (let i = 0; i < frames; i++, p += blockAlign) out[i] = view.getInt32(p, le) / 2147483648;
    } else if (kind === 'float' && cb === 4) {
      for (let i = 0; i < frames; i++, p += blockAlign) out[i] = view.getFloat32(p, le);
    } else if (kind === 'float' && cb === 8) {
      // Float64 beyond Float32's range becomes ±Infinity on storing; the caller zeroes it.
      for (let i = 0; i < frames; i++, p += blockAlign) out[i] = view.getFloat64(p, le);
    } else {
      throw new Error(`no decoder for ${kind} in ${cb} bytes`);
    }
  }
  return channels;
}

/** Where a container (WAV, AIFF) keeps its samples, as its parser found them. */
export interface PcmSource {
  layout: PcmLayout;
  /** Byte offset of the first frame. */
  offset: number;
  /** Whole frames present from `offset` (already bounded by the bytes really there). */
  frames: number;
  /** What the parser repaired or ignored, in words. */
  warnings: string[];
}

/** Frames decoded per block: large enough to be fast, small enough to be nothing in memory. */
const BLOCK_FRAMES = 1 << 16;

/** Feed the samples of `src` to `add` block by block. */
function readPcm(bytes: Uint8Array, src: PcmSource, add: (block: Float32Array[], sampleRate: number) => void): void {
  const { layout } = src;
  for (let done = 0; done < src.frames; done += BLOCK_FRAMES) {
    const n = Math.min(BLOCK_FRAMES, src.frames - done);
    add(decodeSamples(bytes, src.offset + done * layout.blockAlign, n, layout), layout.sampleRate);
  }
}

/** Decode every frame of `src` into a collector made with `opts`. */
export function collectPcm(bytes: Uint8Array, name: string, src: PcmSource, opts: CollectOptions): DecodedAudio {
  const collector = new SampleCollector(name, { ...opts, expectedFrames: src.frames });
  readPcm(bytes, src, (block, rate) => collector.add(block, rate));
  return collector.finish(src.layout.label, src.warnings);
}
