// Splits a native FLAC stream into its frames, for the decoder in codec-worker.mjs.
//
// Why our own splitter: the parser bundled with the FLAC decoder confirms a frame's end by
// reading 13 bytes past the next frame's start; a final frame of 13 bytes or fewer (sox and
// ffmpeg both write one when the file ends in digital silence) never gets there, so at the
// end of the stream it is glued onto the frame before and the decoder, which decodes one
// frame per call, drops its samples. Here a frame ends where a valid frame header starts
// (sync code and CRC-8) and the bytes before it carry a matching CRC-16 footer, or at the
// end of the data; that rule needs nothing past the frame itself.
//
// Plain JavaScript for the same reason as codec-worker.mjs: it runs in the worker thread
// from the sources and from dist/ without a TypeScript loader.

/** CRC-8, polynomial x^8 + x^2 + x + 1 (0x07), initial 0: the frame header's check. */
const CRC8 = new Uint8Array(256);
/** CRC-16, polynomial x^16 + x^15 + x^2 + 1 (0x8005), initial 0: the whole frame's check. */
const CRC16 = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c8 = i;
  let c16 = i << 8;
  for (let k = 0; k < 8; k++) {
    c8 = c8 & 0x80 ? ((c8 << 1) ^ 0x07) & 0xff : (c8 << 1) & 0xff;
    c16 = c16 & 0x8000 ? ((c16 << 1) ^ 0x8005) & 0xffff : (c16 << 1) & 0xffff;
  }
  CRC8[i] = c8;
  CRC16[i] = c16;
}

/**
 * What STREAMINFO (the first metadata block of a native FLAC file) says.
 * @typedef {{ sampleRate: number, channels: number, bitDepth: number, totalFrames: number, audioStart: number }} StreamInfo
 * totalFrames: samples per channel, 0 when the encoder did not know; audioStart: byte
 * offset of the first frame (after the last metadata block).
 */

/**
 * Read STREAMINFO and find where the frames start.
 * @param {Uint8Array} bytes the file from its "fLaC" marker
 * @returns {StreamInfo | null} null when the metadata blocks are missing or cut short
 */
export function readStreamInfo(bytes) {
  if (bytes.length < 42 || bytes[0] !== 0x66 || bytes[1] !== 0x4c || bytes[2] !== 0x61 || bytes[3] !== 0x43) return null;
  if ((bytes[4] & 0x7f) !== 0) return null;
  const s = 8;
  const info = {
    sampleRate: (bytes[s + 10] << 12) | (bytes[s + 11] << 4) | (bytes[s + 12] >> 4),
    channels: ((bytes[s + 12] >> 1) & 7) + 1,
    bitDepth: (((bytes[s + 12] & 1) << 4) | (bytes[s + 13] >> 4)) + 1,
    totalFrames: (bytes[s + 13] & 0x0f) * 2 ** 32 + bytes[s + 14] * 2 ** 24 + ((bytes[s + 15] << 16) | (bytes[s + 16] << 8) | bytes[s + 17]),
    audioStart: 0,
  };
  let at = 4;
  for (;;) {
    if (at + 4 > bytes.length) return null;
    const last = bytes[at] & 0x80;
    at += 4 + ((bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]);
    if (last) break;
  }
  if (at > bytes.length) return null;
  info.audioStart = at;
  return info;
}

/**
 * The length in bytes of a valid frame header at `at` (its CRC-8 included), or 0 when
 * there is none: wrong sync code, a reserved value, a malformed frame number or a CRC-8
 * that does not match.
 * @param {Uint8Array} b
 * @param {number} at
 */
function headerLength(b, at) {
  if (at + 6 > b.length || b[at] !== 0xff || (b[at + 1] & 0xfe) !== 0xf8) return 0;
  const blockCode = b[at + 2] >> 4;
  const rateCode = b[at + 2] & 0x0f;
  const channelCode = b[at + 3] >> 4;
  if (blockCode === 0 || rateCode === 15 || channelCode > 10 || ((b[at + 3] >> 1) & 7) === 3 || (b[at + 3] & 1) !== 0) return 0;
  // The frame or sample number, UTF-8 style: the count of leading ones is the byte count.
  const lead = b[at + 4];
  let n = 1;
  if (lead >= 0x80) {
    if ((lead & 0xc0) === 0x80 || lead === 0xff) return 0;
    while ((lead << n) & 0x80) n++;
  }
  let len = 4 + n;
  if (at + len > b.length) return 0;
  for (let i = 1; i < n; i++) if ((b[at + 4 + i] & 0xc0) !== 0x80) return 0;
  if (blockCode === 6) len += 1;
  else if (blockCode === 7) len += 2;
  if (rateCode === 12) len += 1;
  else if (rateCode === 13 || rateCode === 14) len += 2;
  if (at + len + 1 > b.length) return 0;
  let crc = 0;
  for (let i = 0; i < len; i++) crc = CRC8[crc ^ b[at + i]];
  return crc === b[at + len] ? len + 1 : 0;
}

/** Longest frame searched for its end before the bytes are handed on as they are. */
const MAX_FRAME_BYTES = 1 << 20;

/**
 * Valid headers passed without a matching CRC-16 before a frame counts as damaged: a real
 * frame's end is the first valid header after it, and a header-like pattern inside a frame
 * (sync code and CRC-8 by chance) is rare, so a few are plenty and damaged files stay fast.
 */
const MAX_UNMATCHED_HEADERS = 4;

/** @param {number} crc @param {number} byte */
const crc16 = (crc, byte) => ((crc << 8) & 0xffff) ^ CRC16[(crc >> 8) ^ byte];

/**
 * Split the audio of a native FLAC file into frames.
 *
 * A frame ends at the first following position that starts a valid frame header and
 * where the CRC-16 of the bytes so far matches the two before it, or at the end of the
 * data when the CRC-16 matches there. With trailing bytes that are not audio (a tag) the
 * last frame ends at the last position where its CRC-16 matches. A damaged frame (no
 * matching CRC-16 before the next valid headers) is still handed on, up to the first of
 * them, so the decoder can report it.
 *
 * @param {Uint8Array} bytes the file from its "fLaC" marker
 * @param {number} audioStart byte offset of the first frame (StreamInfo.audioStart)
 * @returns {Generator<Uint8Array>} views into `bytes`, one per frame, in order
 */
export function* flacFrames(bytes, audioStart) {
  let start = audioStart;
  while (start < bytes.length && !headerLength(bytes, start)) start++;
  while (start < bytes.length) {
    const header = headerLength(bytes, start);
    const limit = Math.min(bytes.length, start + MAX_FRAME_BYTES);
    let end = -1;
    let firstUnmatched = -1;
    let unmatched = 0;
    let lastMatch = -1;
    // crc is the CRC-16 of [start, q - 2): the candidate footer is bytes q - 2 and q - 1.
    let crc = 0;
    for (let i = start; i < start + header; i++) crc = crc16(crc, bytes[i]);
    for (let q = start + header + 2; q <= limit; q++) {
      const atHeader = q < bytes.length && bytes[q] === 0xff && headerLength(bytes, q) > 0;
      if (((bytes[q - 2] << 8) | bytes[q - 1]) === crc) {
        lastMatch = q;
        if (atHeader || q === bytes.length) {
          end = q;
          break;
        }
      } else if (atHeader) {
        if (firstUnmatched < 0) firstUnmatched = q;
        if (++unmatched >= MAX_UNMATCHED_HEADERS) break;
      }
      crc = crc16(crc, bytes[q - 2]);
    }
    if (end < 0) end = firstUnmatched >= 0 ? firstUnmatched : lastMatch >= 0 ? lastMatch : limit;
    yield bytes.subarray(start, end);
    start = end;
    // Bytes that start no further header (a trailing tag, junk) are not audio.
    while (start < bytes.length && !headerLength(bytes, start)) start++;
  }
}
