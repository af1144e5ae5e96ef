/**
 * Interleaved WAV sample bytes → one Float32Array per channel in [-1, 1].
 */
import type { WavFormat } from './format';

/** What the sample pass found that the caller should tell the person about. */
export interface SampleReport {
  /** Float samples that were NaN or ±Infinity and were set to 0. */
  nonFinite: number;
  /** Largest |sample| of float data after zeroing non-finite values (floats may exceed 1); 0 for integer formats, which cannot. */
  peak: number;
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
 * Decode `frames` whole frames starting at `bytes[offset]`. The caller guarantees
 * `offset + frames × blockAlign ≤ bytes.length`.
 * @returns channels (each `frames` long) and a report; non-finite floats are already zeroed
 */
export function decodeSamples(
  bytes: Uint8Array,
  offset: number,
  frames: number,
  fmt: WavFormat,
): { channels: Float32Array[]; report: SampleReport } {
  const { channels: nch, blockAlign, containerBytes: cb, kind } = fmt;
  const channels = Array.from({ length: nch }, () => new Float32Array(frames));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let nonFinite = 0;
  let peak = 0;
  for (let c = 0; c < nch; c++) {
    const out = channels[c];
    let p = offset + c * cb;
    if (kind === 'uint8') {
      for (let i = 0; i < frames; i++, p += blockAlign) out[i] = (bytes[p] - 128) / 128;
    } else if (kind === 'alaw' || kind === 'mulaw') {
      const table = g711Tables()[kind];
      for (let i = 0; i < frames; i++, p += blockAlign) out[i] = table[bytes[p]];
    } else if (kind === 'int' && cb === 2) {
      for (let i = 0; i < frames; i++, p += blockAlign) out[i] = view.getInt16(p, true) / 32768;
    } else if (kind === 'int' && cb === 3) {
      for (let i = 0; i < frames; i++, p += blockAlign) {
        out[i] = (((bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)) << 8) >> 8) / 8388608;
      }
    } else if (kind === 'int' && cb === 4) {
      for (let i = 0; i < frames; i++, p += blockAlign) out[i] = view.getInt32(p, true) / 2147483648;
    } else if (kind === 'float') {
      for (let i = 0; i < frames; i++, p += blockAlign) {
        // Float64 beyond Float32's range would become ±Infinity on storing, so test the
        // value as stored.
        const v = Math.fround(cb === 4 ? view.getFloat32(p, true) : view.getFloat64(p, true));
        if (Number.isFinite(v)) {
          out[i] = v;
          const a = Math.abs(v);
          if (a > peak) peak = a;
        } else {
          nonFinite++;
        }
      }
    } else {
      throw new Error(`no decoder for ${kind} in ${cb} bytes`);
    }
  }
  return { channels, report: { nonFinite, peak } };
}
