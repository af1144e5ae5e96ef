/**
 * Recognising an audio file by its content, never by its name: a WAV renamed .mp3 is
 * still a WAV. Formats we recognise but do not read are named, so the refusal says what
 * the file is.
 */
import { AUDIO_FORMAT_NAMES, type AudioFormatId, type ConvertedFormatId } from '../../common/audio-formats';
import { fourCC } from './riff';

/**
 * What a file is: a format we read (decode from `offset`), or one we name and refuse;
 * `convertible` says a converter outside the engine reads it (common/audio-formats.ts).
 */
export type Sniffed = { format: AudioFormatId; offset: number } | { unsupported: string; convertible?: ConvertedFormatId } | { unknown: string };

const ascii = (bytes: Uint8Array, at: number, n: number) => (at + n <= bytes.length ? String.fromCharCode(...bytes.subarray(at, at + n)) : '');

/** MPEG audio bit rates in kbit/s by [version 1 or 2/2.5][layer 1–3][index]. */
const MPEG_BITRATES = [
  [
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
  [
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
];
/** Sample rates in Hz by version bits (0 = MPEG 2.5, 2 = MPEG 2, 3 = MPEG 1) and index. */
export const MPEG_RATES: Record<number, number[]> = { 0: [11025, 12000, 8000], 2: [22050, 24000, 16000], 3: [44100, 48000, 32000] };

/** Length in bytes of the MPEG audio frame whose header is at `at`, or 0 if none is there. */
function mpegFrameLength(bytes: Uint8Array, at: number): number {
  if (at + 4 > bytes.length || bytes[at] !== 0xff || (bytes[at + 1] & 0xe0) !== 0xe0) return 0;
  const version = (bytes[at + 1] >> 3) & 3;
  const layerBits = (bytes[at + 1] >> 1) & 3;
  const bitrateIndex = bytes[at + 2] >> 4;
  const rateIndex = (bytes[at + 2] >> 2) & 3;
  if (version === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return 0;
  const layer = 4 - layerBits;
  const kbps = MPEG_BITRATES[version === 3 ? 0 : 1][layer - 1][bitrateIndex];
  const rate = MPEG_RATES[version][rateIndex];
  const padding = (bytes[at + 2] >> 1) & 1;
  if (layer === 1) return (Math.floor((12000 * kbps) / rate) + padding) * 4;
  const perFrame = layer === 3 && version !== 3 ? 72000 : 144000;
  return Math.floor((perFrame * kbps) / rate) + padding;
}

/** Bytes searched for the first MPEG frame after any ID3 tag (some encoders leave junk). */
const MPEG_SEARCH = 64 * 1024;

/** Offset of the first of two consecutive MPEG audio frames within the search window, or -1. */
function findMpegFrames(bytes: Uint8Array, from: number): number {
  const end = Math.min(bytes.length, from + MPEG_SEARCH);
  for (let at = from; at < end; at++) {
    const n = mpegFrameLength(bytes, at);
    // A file of a single frame is legal; otherwise the next frame must follow.
    if (n > 0 && (at + n === bytes.length || mpegFrameLength(bytes, at + n) > 0)) return at;
  }
  return -1;
}

/** Whether an ADTS (raw AAC) header is at `at`: the MPEG sync with layer bits 00. */
const isAdts = (bytes: Uint8Array, at: number) => at + 2 <= bytes.length && bytes[at] === 0xff && (bytes[at + 1] & 0xf6) === 0xf0;

/** Size of an ID3v2 tag at `at` (header and footer included), or 0. */
function id3Size(bytes: Uint8Array, at: number): number {
  if (ascii(bytes, at, 3) !== 'ID3' || at + 10 > bytes.length) return 0;
  const s = bytes.subarray(at + 6, at + 10);
  if (s.some((b) => b & 0x80)) return 0;
  const footer = bytes[at + 5] & 0x10 ? 10 : 0;
  return 10 + ((s[0] << 21) | (s[1] << 14) | (s[2] << 7) | s[3]) + footer;
}

/** The codec of an Ogg stream, from the first packet of its first page. */
function sniffOgg(bytes: Uint8Array, at: number): Sniffed {
  const segments = bytes[at + 26] ?? 0;
  const packet = at + 27 + segments;
  // Eight bytes name every codec: a file cut before them is damaged, not of another codec.
  if (bytes.length < packet + 8) return { unknown: 'it is an Ogg file cut short before its first packet names the codec' };
  if (ascii(bytes, packet + 1, 6) === 'vorbis' && bytes[packet] === 1) return { format: 'vorbis', offset: at };
  if (ascii(bytes, packet, 8) === 'OpusHead') return { format: 'opus', offset: at };
  if (ascii(bytes, packet, 5) === '\x7fFLAC') return { format: 'flac', offset: at };
  if (ascii(bytes, packet, 8) === 'Speex   ') return { unsupported: 'it is an Ogg Speex file; Speex is not supported' };
  return { unsupported: 'it is an Ogg file holding a codec other than Vorbis, Opus or FLAC' };
}

/** Formats we recognise by their first bytes and refuse by name. */
const UNSUPPORTED_MAGIC: [string, number, string][] = [
  ['MThd', 0, 'it is a MIDI file, which holds notes, not audio; render it to WAV first'],
  ['caff', 0, 'it is a Core Audio (CAF) file, which is not supported'],
  ['wvpk', 0, 'it is a WavPack file, which is not supported'],
  ['MAC ', 0, "it is a Monkey's Audio (APE) file, which is not supported"],
  ['#!AMR', 0, 'it is an AMR speech file, which is not supported'],
  ['\x1aE\xdf\xa3', 0, 'it is a Matroska/WebM file, which is not supported'],
  ['0&\xb2u', 0, 'it is a Windows Media (WMA/ASF) file, which is not supported'],
];

/**
 * What the file is, from its first bytes. WAV (RIFF, RF64, RIFX) and AIFF go to their own
 * readers; FLAC, MP3 (after any ID3 tag) and Ogg Vorbis/Opus/FLAC to their decoders; MP4
 * and raw AAC are named and refused.
 */
export function sniffFormat(bytes: Uint8Array): Sniffed {
  if (bytes.length >= 12) {
    const magic = fourCC(bytes, 0);
    if (magic === 'RIFF' || magic === 'RF64' || magic === 'RIFX') return { format: 'wav', offset: 0 };
    if (magic === 'FORM') return { format: 'aiff', offset: 0 };
    if (fourCC(bytes, 4) === 'ftyp') {
      const brand = ascii(bytes, 8, 4).trim();
      return { unsupported: `it is an MPEG-4 file (${brand ? `brand "${brand}", ` : ''}M4A/AAC/ALAC), which the engine cannot decode itself; convert it to WAV, FLAC or MP3`, convertible: 'mp4' };
    }
  }
  // An ID3v2 tag can sit in front of MP3, and (against the specification) of FLAC and AAC.
  let at = 0;
  for (let tags = 0; tags < 4; tags++) {
    const n = id3Size(bytes, at);
    if (n === 0) break;
    at += n;
  }
  if (at > bytes.length) return { unknown: 'it has an ID3 tag but no audio after it' };
  if (ascii(bytes, at, 4) === 'fLaC') return { format: 'flac', offset: at };
  if (ascii(bytes, at, 4) === 'OggS') return sniffOgg(bytes, at);
  for (const [magic, offset, reason] of UNSUPPORTED_MAGIC) if (ascii(bytes, at + offset, magic.length) === magic) return { unsupported: reason };
  if (isAdts(bytes, at)) return { unsupported: 'it is a raw AAC (ADTS) file, which the engine cannot decode itself; convert it to WAV, FLAC or MP3', convertible: 'adts' };
  const mpeg = findMpegFrames(bytes, at);
  if (mpeg >= 0) return { format: 'mp3', offset: mpeg };
  return { unknown: `it is not an audio file Gramophone can read (${AUDIO_FORMAT_NAMES})` };
}
