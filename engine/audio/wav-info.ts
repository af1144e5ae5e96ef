/**
 * LIST/INFO metadata: the text tags (ICMT comment, INAM title, ISFT software) a stem
 * carries so it says how it was made.
 */
/** INFO tag ids we write, and the text for each. */
export type InfoTags = Partial<Record<'ICMT' | 'INAM' | 'ISFT', string>>;

const utf8 = new TextEncoder();

/**
 * Build a complete "LIST" chunk (header included, padded to even length) of INFO tags.
 * Text is stored as UTF-8 with a terminating NUL (INFO strings are ZSTR); tags with
 * undefined text are left out. Returns an empty array when there are no tags.
 */
export function buildInfoChunk(tags: InfoTags): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [id, text] of Object.entries(tags)) {
    if (text === undefined) continue;
    const body = utf8.encode(text);
    const size = body.length + 1;
    const sub = new Uint8Array(8 + size + (size % 2));
    writeHeader(sub, 0, id, size);
    sub.set(body, 8);
    parts.push(sub);
  }
  if (parts.length === 0) return new Uint8Array(0);
  const listSize = 4 + parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(8 + listSize);
  writeHeader(out, 0, 'LIST', listSize);
  out.set([0x49, 0x4e, 0x46, 0x4f], 8); // "INFO"
  let at = 12;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Write a four-character id and a little-endian 32-bit size at `at`. */
export function writeHeader(out: Uint8Array, at: number, id: string, size: number): void {
  for (let i = 0; i < 4; i++) out[at + i] = id.charCodeAt(i);
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(at + 4, size, true);
}
