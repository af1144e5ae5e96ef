/**
 * AIFF and AIFF-C from untrusted bytes, read by the same bounded chunk reader as WAV (IFF
 * chunks are RIFF's with big-endian sizes). Every declared size and count is checked
 * against the bytes really present.
 */
import type { PcmLayout, PcmSource, SampleKind } from './pcm';
import { refuse } from './refuse';
import { fourCC, scanChunks, u16be, u32be } from './riff';

/** AIFF-C compression types we decode: sample kind, byte order and fixed container size. */
const AIFC_CODECS: Record<string, { kind: SampleKind; bigEndian: boolean; containerBytes?: number; label: string }> = {
  NONE: { kind: 'int', bigEndian: true, label: 'PCM' },
  twos: { kind: 'int', bigEndian: true, label: 'PCM' },
  sowt: { kind: 'int', bigEndian: false, label: 'PCM little-endian' },
  in24: { kind: 'int', bigEndian: true, containerBytes: 3, label: 'PCM' },
  in32: { kind: 'int', bigEndian: true, containerBytes: 4, label: 'PCM' },
  'raw ': { kind: 'uint8', bigEndian: true, containerBytes: 1, label: 'PCM unsigned' },
  fl32: { kind: 'float', bigEndian: true, containerBytes: 4, label: 'float' },
  FL32: { kind: 'float', bigEndian: true, containerBytes: 4, label: 'float' },
  fl64: { kind: 'float', bigEndian: true, containerBytes: 8, label: 'float' },
  FL64: { kind: 'float', bigEndian: true, containerBytes: 8, label: 'float' },
  alaw: { kind: 'alaw', bigEndian: true, containerBytes: 1, label: 'A-law' },
  ALAW: { kind: 'alaw', bigEndian: true, containerBytes: 1, label: 'A-law' },
  ulaw: { kind: 'mulaw', bigEndian: true, containerBytes: 1, label: 'µ-law' },
  ULAW: { kind: 'mulaw', bigEndian: true, containerBytes: 1, label: 'µ-law' },
};

/** Names of common AIFF-C codecs we refuse, so the message says what the file is. */
const AIFC_CODEC_NAMES: Record<string, string> = {
  ima4: 'IMA 4:1 ADPCM',
  MAC3: 'MACE 3:1',
  MAC6: 'MACE 6:1',
  Qclp: 'QUALCOMM PureVoice',
  QDMC: 'QDesign Music',
  QDM2: 'QDesign Music 2',
  GSM: 'GSM',
};

/**
 * The 80-bit IEEE 754 extended-precision number at `at` (AIFF's sample rate field):
 * sign and 15-bit exponent, then a 64-bit mantissa with an explicit integer bit.
 */
function readExtended(bytes: Uint8Array, at: number): number {
  const sign = bytes[at] & 0x80 ? -1 : 1;
  const exponent = u16be(bytes, at) & 0x7fff;
  const mantissa = u32be(bytes, at + 2) * 0x100000000 + u32be(bytes, at + 6);
  if (exponent === 0 && mantissa === 0) return 0;
  if (exponent === 0x7fff) return NaN;
  return sign * mantissa * Math.pow(2, exponent - 16383 - 63);
}

/**
 * Find an AIFF or AIFF-C file's sample layout and data. `bytes` must be at least 12 bytes.
 *
 * Reads 1–32-bit integer PCM (big-endian, or little-endian "sowt"), 32/64-bit float, A-law
 * and µ-law. Repairs, each reported: a sound data chunk cut short (the whole frames present
 * are kept), a frame count in the header larger than the data, a sample rate that is not a
 * whole number of hertz (rounded).
 * @throws GramophoneError UNSUPPORTED_AUDIO for compressed AIFF-C codecs and depths we do
 *   not read; INVALID_INPUT for anything else unusable. Messages name the file.
 */
export function parseAiff(bytes: Uint8Array, name: string): PcmSource {
  const form = fourCC(bytes, 8);
  if (fourCC(bytes, 0) !== 'FORM' || (form !== 'AIFF' && form !== 'AIFC')) {
    refuse('INVALID_INPUT', name, 'it is not an AIFF file (no FORM/AIFF header)');
  }
  const aifc = form === 'AIFC';
  const scan = scanChunks(bytes, 12, bytes.length, { bigEndian: true, dataId: 'SSND' });
  const warnings = [...scan.warnings];
  const comm = scan.chunks.find((c) => c.id === 'COMM');
  const ssnd = scan.chunks.find((c) => c.id === 'SSND');
  if (!comm) refuse('INVALID_INPUT', name, 'it has no "COMM" chunk describing its audio format');
  if (comm.size < 18 || (aifc && comm.size < 22)) refuse('INVALID_INPUT', name, `its format header is cut short (${comm.size} bytes)`);

  const at = comm.offset;
  const channels = u16be(bytes, at);
  const declaredFrames = u32be(bytes, at + 2);
  const bits = u16be(bytes, at + 6);
  const exactRate = readExtended(bytes, at + 8);
  const type = aifc ? fourCC(bytes, at + 18) : 'NONE';

  const codec = AIFC_CODECS[type];
  if (!codec) {
    const known = AIFC_CODEC_NAMES[type.trim()];
    const printable = /^[\x20-\x7e]{4}$/.test(type) ? `"${type}"` : 'an unknown codec';
    refuse('UNSUPPORTED_AUDIO', name, `it is compressed with ${known ?? printable}; save it as PCM AIFF or WAV`);
  }
  if (channels === 0) refuse('INVALID_INPUT', name, 'its header says it has zero channels');
  if (!Number.isFinite(exactRate) || exactRate <= 0) refuse('INVALID_INPUT', name, 'its header gives no usable sample rate');
  const sampleRate = Math.round(exactRate);
  if (Math.abs(sampleRate - exactRate) > 1e-3) warnings.push(`its sample rate of ${exactRate.toFixed(3)} Hz was taken as ${sampleRate} Hz`);

  let containerBytes = codec.containerBytes;
  if (containerBytes === undefined) {
    if (bits < 1 || bits > 32) refuse('UNSUPPORTED_AUDIO', name, `${bits}-bit PCM is not supported (1 to 32 bits are)`);
    containerBytes = Math.ceil(bits / 8);
  }
  // The header's sample size is the stored one for integers; codecs with a fixed container
  // (float, G.711, unsigned bytes) are named by that container.
  const depth = codec.kind === 'int' ? bits : containerBytes * 8;
  const label = `${aifc ? 'AIFF-C' : 'AIFF'} ${codec.label} ${depth}-bit`;
  const layout: PcmLayout = {
    kind: codec.kind,
    channels,
    sampleRate,
    containerBytes,
    bits,
    blockAlign: channels * containerBytes,
    bigEndian: codec.bigEndian,
    label,
  };

  if (!ssnd) {
    if (declaredFrames === 0) return { layout, offset: 0, frames: 0, warnings };
    refuse('INVALID_INPUT', name, 'it has no "SSND" chunk, so there is no audio in it');
  }
  if (ssnd.size < 8) refuse('INVALID_INPUT', name, 'its sound data chunk is cut short before the audio starts');
  const skip = u32be(bytes, ssnd.offset);
  const start = ssnd.offset + 8 + skip;
  const available = ssnd.offset + ssnd.size - start;
  if (available < 0) refuse('INVALID_INPUT', name, `its sound data starts ${skip} bytes in, beyond the ${ssnd.size - 8} bytes the chunk holds`);
  const present = Math.floor(available / layout.blockAlign);
  const frames = Math.min(declaredFrames, present);
  if (present < declaredFrames) {
    warnings.push(`the audio data is cut short: the header promises ${declaredFrames} frames but only ${present} are there; kept them`);
  }
  return { layout, offset: start, frames, warnings };
}
