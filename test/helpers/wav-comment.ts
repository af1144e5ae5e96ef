/**
 * Reads back the LIST/INFO tags a stem carries (the preset JSON in ICMT), as a musician's
 * tools would: the tests' oracle for what the engine writes. Bounded like the decoder:
 * never throws, never reads past the bytes present.
 */
import { fourCC, scanChunks } from '../../engine/audio/riff';

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Read one INFO tag from a RIFF/WAVE file. Bounded like the decoder: never throws, never
 * reads past the bytes present; a malformed file simply has no tag.
 * @returns the tag's text up to its first NUL, or null when absent or unreadable
 */
function readInfoTag(bytes: Uint8Array, tag: string): string | null {
  if (bytes.length < 12) return null;
  const magic = fourCC(bytes, 0);
  if ((magic !== 'RIFF' && magic !== 'RF64') || fourCC(bytes, 8) !== 'WAVE') return null;
  for (const chunk of scanChunks(bytes, 12, bytes.length).chunks) {
    if (chunk.id !== 'LIST' || chunk.size < 4 || fourCC(bytes, chunk.offset) !== 'INFO') continue;
    const end = chunk.offset + chunk.size;
    for (const sub of scanChunks(bytes, chunk.offset + 4, end).chunks) {
      if (sub.id !== tag) continue;
      const body = bytes.subarray(sub.offset, sub.offset + sub.size);
      const nul = body.indexOf(0);
      return utf8Decoder.decode(nul >= 0 ? body.subarray(0, nul) : body);
    }
  }
  return null;
}

/**
 * The ICMT comment of a WAV file (where Gramophone stores the preset JSON).
 * @returns the comment text, or null when the file has none or is not a readable WAV
 */
export function readWavComment(bytes: Uint8Array): string | null {
  return readInfoTag(bytes, 'ICMT');
}
