/**
 * Reading a `.gramophone` file as hostile input. The ZIP's central directory is read first
 * and everything that can be judged from it is judged before a byte is inflated: the number
 * of entries, duplicate names, encryption, methods, and the declared size of every entry the
 * session document references (each, their total, and how much they claim to grow). Only
 * session.json and the entries it references are then inflated, one at a time, streamed to
 * files in a staging folder (zlib inflates on libuv's thread pool, so other clients keep
 * being served), each counted as it grows and stopped the moment it passes what it declared.
 * Identical audio is kept once: each file is named by its SHA-256.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { MAX_AUDIO_BYTES } from '../common/engine-api';
import { GramophoneError } from '../common/errors';
import type { SessionDoc } from '../common/session-doc';
import { formatBytes, formatBytesOver } from '../common/units';
import { MAX_SESSION_JSON_BYTES, SESSION_JSON, readSessionDoc } from './session-file';

/** Bytes read (or handed on) at a time. */
const PIECE_BYTES = 256 * 1024;

/** A session file's bytes, wherever they are: in memory or in a file on disk. */
export interface ZipSource {
  /** Bytes in the file. */
  readonly size: number;
  /** `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** The bytes from `start` up to (not including) `end`, as a stream of chunks. */
  stream(start: number, end: number): Readable;
  close(): Promise<void>;
}

/** A session file already in memory (a small one a page sent in one message). */
export function bytesSource(bytes: Uint8Array): ZipSource {
  return {
    size: bytes.byteLength,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.byteLength, offset + length)),
    // In pieces, as a file is read: each piece is hashed on this thread, so none may be long.
    stream: (start, end) => Readable.from(pieces(bytes, start, end)),
    close: async () => undefined,
  };
}

function* pieces(bytes: Uint8Array, start: number, end: number): Generator<Uint8Array> {
  for (let at = start; at < end; at += PIECE_BYTES) yield bytes.subarray(at, Math.min(end, at + PIECE_BYTES));
}

/**
 * A session file on disk (Electron's Open Session, an upload): read where needed, never whole.
 * @throws Error from the file system (the caller words it)
 */
export async function fileSource(file: string): Promise<ZipSource> {
  const handle = await fsp.open(file, 'r');
  const { size } = await handle.stat();
  return {
    size,
    async read(offset, length) {
      const buf = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      let done = 0;
      while (done < buf.byteLength) {
        const { bytesRead } = await handle.read(buf, done, buf.byteLength - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buf.subarray(0, done);
    },
    stream: (start, end) => (end > start ? fs.createReadStream(file, { start, end: end - 1, highWaterMark: PIECE_BYTES }) : Readable.from([])),
    close: () => handle.close(),
  };
}

/** What a session file may hold; the defaults suit any session Gramophone writes. */
export interface SessionFileLimits {
  /** Most entries in the archive (its central directory), whatever they are. */
  entries: number;
  /** Largest entry, inflated, in bytes. */
  entryBytes: number;
  /** Most bytes of audio inflated for one session (distinct referenced entries together). */
  totalBytes: number;
  /** An entry larger than `ratioFloorBytes` may grow at most this many times its compressed size. */
  ratio: number;
  ratioFloorBytes: number;
}

/** The limits `unpackSessionFile` applies unless told otherwise. */
export const SESSION_FILE_LIMITS: SessionFileLimits = {
  // session.json, two inputs and at most 1,000 takes, with room for other tools' extras.
  entries: 1100,
  entryBytes: MAX_AUDIO_BYTES,
  totalBytes: 2 * 1024 ** 3,
  // Audio compresses a little (silence much more): 200 times is far past anything real.
  ratio: 200,
  ratioFloorBytes: 16 * 1024 * 1024,
};

interface Entry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressed: number;
  size: number;
  localOffset: number;
}

/** A referenced audio file, inflated and checked, in the staging folder. */
export interface StagedFile {
  /** Where it is, named by its hash. */
  path: string;
  /** SHA-256, hex. */
  sha256: string;
  /** Bytes. */
  size: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_CENTRAL_BYTES = 16 * 1024 * 1024;

/**
 * Read a session file: check its directory, then inflate session.json and the audio it
 * references (only those) into `staging` (an empty folder the caller owns and removes).
 * @param name the file's name, for messages
 * @returns the document, and each referenced file that is in the archive (a referenced file
 *   that is absent is left for the caller to report per track)
 * @throws GramophoneError INVALID_INPUT saying in words what is wrong (nothing is inflated
 *   past the first entry that breaks a limit)
 */
export async function unpackSessionFile(src: ZipSource, name: string, staging: string, limits: SessionFileLimits = SESSION_FILE_LIMITS): Promise<{ doc: SessionDoc; files: Map<string, StagedFile> }> {
  const bad = (why: string) => new GramophoneError('INVALID_INPUT', `"${name}" is not a Gramophone session: ${why}.`);
  const notZip = () => bad('it is not a readable ZIP archive (it may be truncated)');
  const entries = await readDirectory(src, limits, bad, notZip);

  const jsonEntry = entries.get(SESSION_JSON);
  if (!jsonEntry) throw bad(`it has no ${SESSION_JSON}`);
  if (jsonEntry.size > MAX_SESSION_JSON_BYTES) throw bad(`its ${SESSION_JSON} is ${formatBytesOver(jsonEntry.size, MAX_SESSION_JSON_BYTES)}, over the ${formatBytes(MAX_SESSION_JSON_BYTES)} limit`);
  checkGrowth(jsonEntry, limits, bad);
  const chunks: Uint8Array[] = [];
  await inflateEntry(src, jsonEntry, bad, notZip, async (c) => void chunks.push(c));
  const r = readSessionDoc(Buffer.concat(chunks));
  if (!r.ok) throw bad(r.reason);

  // Every check that the directory allows, before any audio is inflated.
  const referenced = [...new Set([...r.doc.inputs.map((i) => i.file), ...r.doc.takes.map((t) => t.file)])].flatMap((f) => entries.get(f) ?? []);
  let total = 0;
  for (const e of referenced) {
    if (e.size > limits.entryBytes) throw bad(`its ${e.name} is ${formatBytesOver(e.size, limits.entryBytes)}, over the ${formatBytes(limits.entryBytes)} limit`);
    checkGrowth(e, limits, bad);
    total += e.size;
  }
  if (total > limits.totalBytes) throw bad(`its audio is ${formatBytesOver(total, limits.totalBytes)} in all, over the ${formatBytes(limits.totalBytes)} limit`);

  const files = new Map<string, StagedFile>();
  const byHash = new Map<string, StagedFile>();
  for (const [i, e] of referenced.entries()) {
    const part = path.join(staging, `${i}.part`);
    const out = await fsp.open(part, 'wx', 0o600);
    const hash = crypto.createHash('sha256');
    try {
      await inflateEntry(src, e, bad, notZip, async (c) => {
        hash.update(c);
        let done = 0;
        while (done < c.byteLength) done += (await out.write(c, done, c.byteLength - done)).bytesWritten;
      });
    } finally {
      await out.close();
    }
    const sha256 = hash.digest('hex');
    let staged = byHash.get(sha256);
    if (staged) await fsp.rm(part);
    else {
      staged = { path: path.join(staging, sha256), sha256, size: e.size };
      await fsp.rename(part, staged.path);
      byHash.set(sha256, staged);
    }
    files.set(e.name, staged);
  }
  return { doc: r.doc, files };
}

/** Refuse an entry that claims to grow far more than any audio does (a ZIP bomb). */
function checkGrowth(e: Entry, limits: SessionFileLimits, bad: (why: string) => GramophoneError): void {
  if (e.size > limits.ratioFloorBytes && e.size > e.compressed * limits.ratio) {
    throw bad(`its ${e.name} would grow from ${formatBytes(e.compressed)} to ${formatBytes(e.size)}, more than ${limits.ratio} times, as no audio does (it looks like a ZIP bomb)`);
  }
}

/** The archive's central directory, checked: no more entries than allowed, no name twice. */
async function readDirectory(src: ZipSource, limits: SessionFileLimits, bad: (why: string) => GramophoneError, notZip: () => GramophoneError): Promise<Map<string, Entry>> {
  const tailLength = Math.min(src.size, 22 + 0xffff);
  const tail = await src.read(src.size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.byteLength - 22; i >= 0; i--) {
    if (readU32(tail, i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw notZip();
  const count = readU16(tail, at + 10);
  const cdSize = readU32(tail, at + 12);
  const cdOffset = readU32(tail, at + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw bad('it is a ZIP64 archive, which no session is');
  if (count > limits.entries) throw bad(`it holds ${count} files, more than the ${limits.entries} a session may have`);
  if (cdSize > MAX_CENTRAL_BYTES || cdOffset + cdSize > src.size) throw notZip();
  const cd = await src.read(cdOffset, cdSize);
  const entries = new Map<string, Entry>();
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.byteLength || readU32(cd, p) !== CENTRAL) throw notZip();
    const nameLength = readU16(cd, p + 28);
    const next = p + 46 + nameLength + readU16(cd, p + 30) + readU16(cd, p + 32);
    if (next > cd.byteLength) throw notZip();
    const e: Entry = {
      flags: readU16(cd, p + 8),
      method: readU16(cd, p + 10),
      crc: readU32(cd, p + 16),
      compressed: readU32(cd, p + 20),
      size: readU32(cd, p + 24),
      localOffset: readU32(cd, p + 42),
      name: Buffer.from(cd.subarray(p + 46, p + 46 + nameLength)).toString('utf8'),
    };
    if (entries.has(e.name)) throw bad(`it holds two files named ${JSON.stringify(e.name.slice(0, 80))}`);
    entries.set(e.name, e);
    p = next;
  }
  return entries;
}

/**
 * Inflate one entry, passing each piece to `sink` as it comes; stops (and throws) the moment
 * it grows past its declared size, and checks its size and CRC-32 at the end.
 */
async function inflateEntry(src: ZipSource, e: Entry, bad: (why: string) => GramophoneError, notZip: () => GramophoneError, sink: (chunk: Uint8Array) => Promise<void>): Promise<void> {
  if (e.flags & 1) throw bad(`its ${e.name} is encrypted`);
  if (e.method !== 0 && e.method !== 8) throw bad(`its ${e.name} is compressed in a way Gramophone does not read (method ${e.method})`);
  const local = await src.read(e.localOffset, 30);
  if (local.byteLength < 30 || readU32(local, 0) !== LOCAL) throw notZip();
  const start = e.localOffset + 30 + readU16(local, 26) + readU16(local, 28);
  if (start + e.compressed > src.size) throw notZip();
  const input = src.stream(start, start + e.compressed);
  const output: Readable = e.method === 8 ? input.pipe(zlib.createInflateRaw({ chunkSize: 64 * 1024 })) : input;
  if (output !== input) input.on('error', (err) => output.destroy(err));
  let grown = 0;
  let crc = 0;
  try {
    for await (const chunk of output as AsyncIterable<Buffer>) {
      grown += chunk.byteLength;
      if (grown > e.size) throw bad(`its ${e.name} holds more than the ${formatBytes(e.size)} it declares (it looks like a ZIP bomb)`);
      crc = zlib.crc32(chunk, crc);
      await sink(chunk);
    }
  } catch (err) {
    if (err instanceof GramophoneError) throw err;
    throw bad(`its ${e.name} is damaged (${err instanceof Error ? err.message : String(err)})`);
  } finally {
    input.destroy();
    output.destroy();
  }
  if (grown !== e.size || crc >>> 0 !== e.crc >>> 0) throw bad(`its ${e.name} is damaged (its size or checksum does not match)`);
}

const readU16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const readU32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
