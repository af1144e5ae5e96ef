/**
 * A bounded reader for RIFF (WAV) and IFF (AIFF) chunk lists: four-character id, 32-bit
 * size, body padded to an even length. Every declared size is checked against the bytes
 * really present, so a hostile or damaged file can never make us read past its end, loop
 * without progress or allocate from a count it declares.
 */

/** One chunk found in a RIFF list. Offsets and sizes are in bytes within the scanned array. */
export interface RiffChunk {
  /** Four-character code, e.g. "fmt ", "data", "LIST". */
  id: string;
  /** Offset of the chunk's body (just after its 8-byte header). */
  offset: number;
  /** Bytes of the body actually present: min(declared size, bytes left). */
  size: number;
  /** The size the chunk header declares. */
  declaredSize: number;
  /** True when the body is shorter than declared (the file ends inside it). */
  truncated: boolean;
}

/** Limits and hints for `scanChunks`. */
export interface ScanOptions {
  /** Stop after this many chunks (a wall against files made of millions of empty chunks). */
  maxChunks?: number;
  /**
   * Real size of the "data" chunk when its header holds a placeholder: RF64 files give it in
   * their "ds64" chunk and write 0xFFFFFFFF in the data header.
   */
  dataSize?: number;
  /** IFF (AIFF) chunk sizes are big-endian; RIFF's are little-endian (the default). */
  bigEndian?: boolean;
  /** Id of the chunk holding the samples ("data" in RIFF, "SSND" in AIFF). */
  dataId?: string;
}

/** The chunks found, in file order, and what was repaired or skipped on the way. */
export interface ChunkScan {
  chunks: RiffChunk[];
  warnings: string[];
}

/** Real files hold a handful of chunks; 100 000 is far beyond any and still scans in milliseconds. */
const DEFAULT_MAX_CHUNKS = 100_000;

/** Four bytes at `at` as a string of Latin-1 characters (caller guarantees they exist). */
export function fourCC(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

/** Little-endian unsigned 32-bit integer at `at` (caller guarantees four bytes exist). */
export function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) + bytes[at + 3] * 0x1000000;
}

/** Little-endian unsigned 16-bit integer at `at`. */
export function u16(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8);
}

/** Big-endian unsigned 32-bit integer at `at` (caller guarantees four bytes exist). */
export function u32be(bytes: Uint8Array, at: number): number {
  return bytes[at] * 0x1000000 + ((bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]);
}

/** Big-endian unsigned 16-bit integer at `at`. */
export function u16be(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 8) | bytes[at + 1];
}

/** A chunk id is four printable ASCII characters; anything else means we lost our place. */
function isChunkId(bytes: Uint8Array, at: number, end: number): boolean {
  if (at + 4 > end) return false;
  for (let i = at; i < at + 4; i++) if (bytes[i] < 0x20 || bytes[i] > 0x7e) return false;
  return true;
}

/** Whether a plausible chunk header (printable id, size that fits) starts at `at`. */
function looksLikeChunk(bytes: Uint8Array, at: number, end: number, size: typeof u32): boolean {
  return at + 8 <= end && isChunkId(bytes, at, end) && size(bytes, at + 4) <= end - at - 8;
}

/**
 * List the chunks in `bytes[start, end)`. Never reads outside that range; each step moves
 * forward by at least 8 bytes, and at most `maxChunks` chunks are listed.
 *
 * Damage it tolerates, with a warning: a last chunk cut short (kept with `truncated`), a
 * missing pad byte after an odd-sized chunk, a "data" chunk whose size is a streaming
 * writer's placeholder of 0 (the rest of the file is taken as data), and unreadable bytes
 * after the last good chunk (ignored).
 */
export function scanChunks(bytes: Uint8Array, start: number, end: number, opts: ScanOptions = {}): ChunkScan {
  const maxChunks = opts.maxChunks ?? DEFAULT_MAX_CHUNKS;
  const sizeAt = opts.bigEndian ? u32be : u32;
  const dataId = opts.dataId ?? 'data';
  const chunks: RiffChunk[] = [];
  const warnings: string[] = [];
  let pos = start;
  while (pos + 8 <= end) {
    if (chunks.length >= maxChunks) {
      warnings.push(`stopped reading after ${maxChunks} chunks`);
      break;
    }
    if (!isChunkId(bytes, pos, end)) {
      const prev = chunks[chunks.length - 1];
      // Some writers forget the pad byte after an odd-sized chunk: try one byte back.
      if (prev && prev.size % 2 === 1 && isChunkId(bytes, pos - 1, end) && pos - 1 + 8 <= end) {
        pos -= 1;
        warnings.push(`the "${prev.id.trim()}" chunk has an odd size but no pad byte`);
      } else {
        warnings.push(`ignored ${end - pos} unreadable bytes at offset ${pos}`);
        break;
      }
    }
    const id = fourCC(bytes, pos);
    const declaredSize = sizeAt(bytes, pos + 4);
    const offset = pos + 8;
    const left = end - offset;
    let wanted = declaredSize;
    if (id === dataId) {
      if (opts.dataSize !== undefined && declaredSize === 0xffffffff) {
        wanted = opts.dataSize;
      } else if (declaredSize === 0 && left > 0 && !looksLikeChunk(bytes, offset, end, sizeAt)) {
        wanted = left;
        warnings.push(`the ${dataId === 'data' ? 'data' : `"${dataId}"`} chunk size is 0 (left unfinished by a streaming writer); the rest of the file was read as audio`);
      }
    }
    const size = Math.min(wanted, left);
    const truncated = size < wanted;
    chunks.push({ id, offset, size, declaredSize: wanted, truncated });
    if (truncated) break;
    pos = offset + size + (size % 2);
  }
  return { chunks, warnings };
}
