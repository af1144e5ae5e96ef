/**
 * ZIP archives built byte by byte, so a test can write what no honest tool writes: sizes that
 * lie, names twice, a gigabyte of zeros in a megabyte. Only what session files use: stored
 * (method 0) and deflated (method 8) entries, no ZIP64.
 */
import zlib from 'node:zlib';

/** One entry as it goes in the archive. */
export interface CraftEntry {
  name: string;
  /** The entry's data as stored in the archive (already compressed for method 8). */
  data: Uint8Array;
  method: 0 | 8;
  /** What the directory says the entry inflates to, in bytes. */
  size: number;
  crc: number;
}

/** A stored entry holding `bytes`, declared honestly. */
export const stored = (name: string, bytes: Uint8Array): CraftEntry => ({ name, data: bytes, method: 0, size: bytes.byteLength, crc: zlib.crc32(bytes) });

/** A deflated entry holding `bytes` (at zlib `level`), declared honestly. */
export const deflated = (name: string, bytes: Uint8Array, level = 6): CraftEntry => ({ name, data: zlib.deflateRawSync(bytes, { level }), method: 8, size: bytes.byteLength, crc: zlib.crc32(bytes) });

/**
 * A deflated entry of `mib` MiB of zeros, without ever holding them: one MiB of zeros
 * compressed after a full flush (which makes it byte-aligned and independent of what came
 * before) repeated, then an empty final block. About 1 KiB per MiB.
 */
export function zeros(name: string, mib: number): CraftEntry {
  let made = madeZeros.get(mib);
  if (!made) madeZeros.set(mib, (made = makeZeros(mib)));
  return { name, ...made };
}

const madeZeros = new Map<number, Omit<CraftEntry, 'name'>>();

function makeZeros(mib: number): Omit<CraftEntry, 'name'> {
  const MiB = new Uint8Array(1 << 20);
  const piece = zlib.deflateRawSync(MiB, { finishFlush: zlib.constants.Z_FULL_FLUSH });
  const end = Uint8Array.of(0x03, 0x00); // a final, empty block with fixed codes
  const data = new Uint8Array(piece.byteLength * mib + end.byteLength);
  for (let i = 0; i < mib; i++) data.set(piece, i * piece.byteLength);
  data.set(end, piece.byteLength * mib);
  let crc = 0;
  for (let i = 0; i < mib; i++) crc = zlib.crc32(MiB, crc);
  return { data, method: 8, size: mib << 20, crc };
}

/**
 * The fields a local header and a central directory record share, in the same order, from
 * `at` (4 in a local header, 6 in a directory record): version needed, flags (0), method,
 * time and date (0), CRC-32, compressed and uncompressed size, name length.
 */
function writeEntryFields(b: Buffer, at: number, e: CraftEntry, nameLength: number): void {
  b.writeUInt16LE(20, at);
  b.writeUInt16LE(e.method, at + 4);
  b.writeUInt32LE(e.crc >>> 0, at + 10);
  b.writeUInt32LE(e.data.byteLength, at + 14);
  b.writeUInt32LE(e.size >>> 0, at + 18);
  b.writeUInt16LE(nameLength, at + 22);
}

/** The archive: local headers and data, the central directory, its end record. */
export function craftZip(entries: CraftEntry[]): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, e, name.byteLength);
    parts.push(local, name, Buffer.from(e.data));
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4); // version made by
    writeEntryFields(c, 6, e, name.byteLength);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.byteLength + e.data.byteLength;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.byteLength, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, cd, end]));
}
