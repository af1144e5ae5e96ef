/**
 * Ogg page framing (RFC 3533): enough to find where the last complete page ends, so a file
 * cut part-way through a page is decoded to its complete pages only (the Ogg decoders would
 * otherwise decode the cut page's packets from the bytes that are missing).
 */

/** Header bytes before a page's segment table. */
const PAGE_HEADER = 27;

/**
 * The length of the prefix of `bytes` made of complete Ogg pages, when a page is cut short
 * at the end; `bytes.length` when every page is complete, or when the pages stop lining up
 * before the end (damage inside a file is the decoder's to skip, not a cut).
 * @param bytes an Ogg file from its first page
 */
export function completeOggLength(bytes: Uint8Array): number {
  let at = 0;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0x4f || bytes[at + 1] !== 0x67 || bytes[at + 2] !== 0x67 || bytes[at + 3] !== 0x53) return bytes.length; // "OggS"
    if (at + PAGE_HEADER > bytes.length) return at;
    const segments = bytes[at + 26];
    if (at + PAGE_HEADER + segments > bytes.length) return at;
    let length = PAGE_HEADER + segments;
    for (let i = 0; i < segments; i++) length += bytes[at + PAGE_HEADER + i];
    if (at + length > bytes.length) return at;
    at += length;
  }
  return at < bytes.length ? at : bytes.length;
}
