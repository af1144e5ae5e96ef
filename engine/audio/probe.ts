/**
 * A file's sample rate and channel count from its header alone, without decoding it: what
 * the command line needs to export a take at the content's rate and width.
 */
import { MAX_AUDIO_BYTES } from '../../common/engine-api';
import { parseAiff } from './aiff';
import { sampleRateProblem } from './collect';
import { checkFileSize, refuse } from './refuse';
import { fourCC } from './riff';
import { MPEG_RATES, sniffFormat } from './sniff';
import { parseWav } from './wav';

/** What a header says about the audio as it decodes. */
export interface AudioShape {
  /** The rate the file decodes at, in Hz (Opus always decodes at 48 kHz). */
  sampleRate: number;
  channels: number;
}

const le32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;

/**
 * The sample rate and channel count `bytes` will decode to, read from the header only.
 * @throws GramophoneError as `decodeAudio` for files it can already tell are unusable
 */
export function probeAudio(bytes: Uint8Array, name: string): AudioShape {
  checkFileSize(bytes.length, name, MAX_AUDIO_BYTES);
  const sniffed = sniffFormat(bytes);
  if ('unsupported' in sniffed) refuse('UNSUPPORTED_AUDIO', name, sniffed.unsupported);
  if ('unknown' in sniffed) refuse('INVALID_INPUT', name, sniffed.unknown);
  const at = sniffed.offset;
  const need = (n: number) => {
    if (at + n > bytes.length) refuse('INVALID_INPUT', name, 'its header is cut short');
  };
  let shape: AudioShape;
  switch (sniffed.format) {
    case 'wav':
    case 'aiff': {
      if (bytes.length < 12) refuse('INVALID_INPUT', name, `it is only ${bytes.length} bytes long`);
      const { layout } = sniffed.format === 'wav' ? parseWav(bytes, name) : parseAiff(bytes, name);
      shape = { sampleRate: layout.sampleRate, channels: layout.channels };
      break;
    }
    case 'flac': {
      if (fourCC(bytes, at) === 'OggS') {
        // Ogg FLAC: the first packet is "\x7fFLAC", version, header count, "fLaC", then STREAMINFO.
        const packet = at + 27 + bytes[at + 26];
        return probeFlacStreamInfo(bytes, packet + 13, name);
      }
      return probeFlacStreamInfo(bytes, at + 4, name);
    }
    case 'mp3':
      need(4);
      // The sniffer found a valid frame header here; its rate and channel mode are the file's.
      shape = {
        sampleRate: MPEG_RATES[(bytes[at + 1] >> 3) & 3][(bytes[at + 2] >> 2) & 3],
        channels: bytes[at + 3] >> 6 === 3 ? 1 : 2,
      };
      break;
    case 'vorbis': {
      const packet = at + 27 + bytes[at + 26];
      need(27 + bytes[at + 26] + 16);
      shape = { sampleRate: le32(bytes, packet + 12), channels: bytes[packet + 11] };
      break;
    }
    case 'opus': {
      const packet = at + 27 + bytes[at + 26];
      need(27 + bytes[at + 26] + 10);
      shape = { sampleRate: 48000, channels: bytes[packet + 9] };
      break;
    }
  }
  return checked(shape, name);
}

/** STREAMINFO's rate (20 bits) and channels (3 bits) from the metadata block header at `at`. */
function probeFlacStreamInfo(bytes: Uint8Array, at: number, name: string): AudioShape {
  if (at + 4 + 18 > bytes.length || (bytes[at] & 0x7f) !== 0) refuse('INVALID_INPUT', name, 'its FLAC header (STREAMINFO) is missing or cut short');
  const s = at + 4;
  const sampleRate = (bytes[s + 10] << 12) | (bytes[s + 11] << 4) | (bytes[s + 12] >> 4);
  return checked({ sampleRate, channels: ((bytes[s + 12] >> 1) & 7) + 1 }, name);
}

function checked(shape: AudioShape, name: string): AudioShape {
  if (shape.channels < 1) refuse('INVALID_INPUT', name, 'its header says it has zero channels');
  const problem = sampleRateProblem(shape.sampleRate);
  if (problem) refuse('INVALID_INPUT', name, problem);
  return shape;
}
