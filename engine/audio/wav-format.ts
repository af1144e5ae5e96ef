/**
 * Reading a WAV "fmt " chunk into what the sample decoder needs, refusing what we cannot
 * decode. WAVE_FORMAT_EXTENSIBLE is resolved through its sub-format GUID, so extensible
 * float is float, not integers.
 */
import { sampleRateProblem } from './collect';
import type { PcmLayout, SampleKind } from './pcm';
import { u16, u32 } from './riff';

/** Why a format was refused: `unsupported` for codecs and depths, `invalid` for nonsense. */
export class FormatProblem extends Error {
  constructor(
    readonly kind: 'unsupported' | 'invalid',
    reason: string,
  ) {
    super(reason);
  }
}

/** wFormatTag values (mmreg.h) we decode, refuse by name, or write. */
export const WAVE_FORMAT = {
  PCM: 0x0001,
  ADPCM: 0x0002,
  IEEE_FLOAT: 0x0003,
  ALAW: 0x0006,
  MULAW: 0x0007,
  IMA_ADPCM: 0x0011,
  MPEG: 0x0050,
  MPEGLAYER3: 0x0055,
  EXTENSIBLE: 0xfffe,
} as const;

/** Names of common codecs we refuse, so the message says what the file is. */
const CODEC_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0040: 'G.721 ADPCM',
  0x0050: 'MPEG audio',
  0x0055: 'MP3',
  0x0092: 'Dolby AC-3',
  0x00ff: 'AAC',
  0x1610: 'AAC',
  0x2000: 'Dolby AC-3',
  0xf1ac: 'FLAC',
};

/** The 14 bytes after the two-byte format tag in every standard KSDATAFORMAT_SUBTYPE GUID. */
export const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

function guidString(b: Uint8Array, at: number): string {
  const hex = (i: number) => b[at + i].toString(16).padStart(2, '0');
  const part = (idx: number[]) => idx.map(hex).join('');
  return `${part([3, 2, 1, 0])}-${part([5, 4])}-${part([7, 6])}-${part([8, 9])}-${part([10, 11, 12, 13, 14, 15])}`;
}

/**
 * Parse a "fmt " chunk body. `body` is exactly the bytes present (already bounded).
 * @returns the layout and any warnings about header fields we corrected
 * @throws FormatProblem when the format cannot be decoded
 */
export function parseFormat(body: Uint8Array): { format: PcmLayout; warnings: string[] } {
  const warnings: string[] = [];
  if (body.length < 16) throw new FormatProblem('invalid', `its format header is cut short (${body.length} of 16 bytes)`);
  let tag = u16(body, 0);
  const channels = u16(body, 2);
  const sampleRate = u32(body, 4);
  const blockAlignDeclared = u16(body, 12);
  const bits = u16(body, 14);
  let extensible = false;

  if (tag === WAVE_FORMAT.EXTENSIBLE) {
    extensible = true;
    const cbSize = body.length >= 18 ? u16(body, 16) : 0;
    if (body.length < 40 || cbSize < 22) {
      throw new FormatProblem('invalid', 'its extensible format header is cut short (no sub-format)');
    }
    const standard = GUID_TAIL.every((v, i) => body[26 + i] === v);
    if (!standard) throw new FormatProblem('unsupported', `its sub-format {${guidString(body, 24)}} is not one we know`);
    tag = u16(body, 24);
  }

  const ext = extensible ? ' (extensible)' : '';
  let kind: SampleKind;
  let containerBytes: number;
  let label: string;
  switch (tag) {
    case WAVE_FORMAT.PCM:
      if (bits < 1 || bits > 32) throw new FormatProblem('unsupported', `${bits}-bit PCM is not supported (1 to 32 bits are)`);
      containerBytes = Math.ceil(bits / 8);
      kind = containerBytes === 1 ? 'uint8' : 'int';
      label = `PCM ${bits}-bit${ext}`;
      break;
    case WAVE_FORMAT.IEEE_FLOAT:
      if (bits !== 32 && bits !== 64) throw new FormatProblem('unsupported', `${bits}-bit float is not supported (32 and 64 bits are)`);
      containerBytes = bits / 8;
      kind = 'float';
      label = `float ${bits}-bit${ext}`;
      break;
    case WAVE_FORMAT.ALAW:
    case WAVE_FORMAT.MULAW:
      if (bits !== 8) throw new FormatProblem('unsupported', `${bits}-bit G.711 is not supported (8 bits is)`);
      containerBytes = 1;
      kind = tag === WAVE_FORMAT.ALAW ? 'alaw' : 'mulaw';
      label = `${tag === WAVE_FORMAT.ALAW ? 'A-law' : 'µ-law'} 8-bit${ext}`;
      break;
    default: {
      const name = CODEC_NAMES[tag] ?? `codec 0x${tag.toString(16).padStart(4, '0')}`;
      throw new FormatProblem('unsupported', `it is compressed with ${name}; save it as PCM or float WAV`);
    }
  }

  if (channels === 0) throw new FormatProblem('invalid', 'its header says it has zero channels');
  const rateProblem = sampleRateProblem(sampleRate);
  if (rateProblem) throw new FormatProblem('invalid', rateProblem);

  // A larger container per sample (e.g. 24-bit samples in 4 bytes) is legal for integer PCM:
  // samples are left-justified, so reading the whole container scales them correctly.
  let blockAlign = channels * containerBytes;
  if (blockAlignDeclared !== blockAlign) {
    const perSample = blockAlignDeclared / channels;
    if (kind === 'int' && Number.isInteger(perSample) && perSample > containerBytes && perSample <= 4) {
      containerBytes = perSample;
      blockAlign = blockAlignDeclared;
    } else {
      warnings.push(`the header's block size (${blockAlignDeclared} bytes) does not fit ${channels} × ${bits}-bit samples; used ${blockAlign}`);
    }
  }
  return { format: { kind, channels, sampleRate, containerBytes, bits, blockAlign, bigEndian: false, label }, warnings };
}
