/**
 * Files a page uploads in chunks (`common/api/uploads.ts`), written straight to a folder in
 * main's data folder: main holds one copy of each, on disk, and never the whole file in
 * memory. An upload is refused at the start when it is too large or when too many are under
 * way; chunks must arrive in order; an upload left idle is deleted, and so is a kept file
 * once no track uses it (and, at start-up, what an earlier run left behind).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { GramophoneError } from '../common/errors';
import { MAX_AUDIO_BYTES } from '../common/engine-api';
import { UPLOAD_CHUNK_BYTES } from '../common/api/uploads';
import { formatBytes, formatBytesOver } from '../common/units';
import { ioReason } from '../engine/io/atomic-write';

export interface UploadStoreOptions {
  /** The folder uploads are written to (made if missing; emptied at start). */
  dir: string;
  /** Uploads under way at once. */
  maxActive?: number;
  /** An upload that receives nothing for this long is deleted, in ms. */
  idleMs?: number;
}

interface Active {
  name: string;
  size: number;
  received: number;
  file: string;
  handle: fsp.FileHandle;
  idle: ReturnType<typeof setTimeout>;
  /** The chunk being written: the next waits for it, so writes never overlap. */
  writing: Promise<void>;
}

/** Names of upload files (`<id>.upload`): the only files this store ever deletes. */
const UPLOAD_FILE = /^[A-Za-z0-9_-]+\.upload$/;

const gone = (what: string) => new GramophoneError('INVALID_INPUT', `${what}: that upload is not under way (it was finished, cancelled, or left idle too long); send the file again.`);

export class UploadStore {
  private readonly dir: string;
  private readonly maxActive: number;
  private readonly idleMs: number;
  private readonly active = new Map<string, Active>();
  /** Finished uploads still on disk, by path. */
  private readonly kept = new Set<string>();

  constructor(o: UploadStoreOptions) {
    this.dir = o.dir;
    this.maxActive = o.maxActive ?? 4;
    this.idleMs = o.idleMs ?? 5 * 60_000;
    // Uploads left here belonged to an earlier run, whose tracks are gone.
    try {
      for (const f of fs.existsSync(this.dir) ? fs.readdirSync(this.dir) : []) {
        if (UPLOAD_FILE.test(f)) fs.rmSync(path.join(this.dir, f), { force: true });
      }
    } catch {
      /* a read-only disk: nothing can be left there, and an upload says so when it begins */
    }
  }

  /**
   * Open a new upload of `size` bytes.
   * @throws GramophoneError INVALID_INPUT when too many are under way; IO_ERROR when the
   *   folder cannot be written
   */
  async begin(name: string, size: number): Promise<{ uploadId: string; chunkBytes: number }> {
    if (size > MAX_AUDIO_BYTES) throw new GramophoneError('INVALID_INPUT', `"${name}" is ${formatBytesOver(size, MAX_AUDIO_BYTES)}, over the ${formatBytes(MAX_AUDIO_BYTES)} limit.`);
    if (this.active.size >= this.maxActive) throw new GramophoneError('INVALID_INPUT', `${this.maxActive} files are already being sent; wait for one to finish.`);
    const uploadId = crypto.randomBytes(12).toString('base64url');
    const file = path.join(this.dir, `${uploadId}.upload`);
    let handle: fsp.FileHandle;
    try {
      await fsp.mkdir(this.dir, { recursive: true, mode: 0o700 });
      handle = await fsp.open(file, 'wx', 0o600);
    } catch (e) {
      throw new GramophoneError('IO_ERROR', `Could not receive "${name}": the folder ${this.dir} cannot be written: ${ioReason(e)}.`);
    }
    const up: Active = { name, size, received: 0, file, handle, writing: Promise.resolve(), idle: this.idleTimer(uploadId) };
    this.active.set(uploadId, up);
    return { uploadId, chunkBytes: UPLOAD_CHUNK_BYTES };
  }

  private idleTimer(uploadId: string) {
    const t = setTimeout(() => void this.cancel(uploadId), this.idleMs);
    t.unref?.();
    return t;
  }

  /**
   * Write the chunk that starts at `offset` (the bytes received so far).
   * @returns the bytes received so far, this chunk included
   * @throws GramophoneError INVALID_INPUT for an unknown upload, a chunk out of order or past
   *   the declared size; IO_ERROR (and the upload is deleted) when the disk refuses it
   */
  async chunk(uploadId: string, offset: number, bytes: Uint8Array): Promise<number> {
    const up = this.active.get(uploadId);
    if (!up) throw gone('Chunk refused');
    const write = up.writing.then(async () => {
      if (this.active.get(uploadId) !== up) throw gone('Chunk refused');
      if (offset !== up.received) throw new GramophoneError('INVALID_INPUT', `Chunk refused: it starts at byte ${offset}, but ${up.received} bytes have arrived.`);
      if (up.received + bytes.byteLength > up.size) throw new GramophoneError('INVALID_INPUT', `Chunk refused: "${up.name}" was announced as ${up.size} bytes, and this chunk goes past that.`);
      try {
        let done = 0;
        while (done < bytes.byteLength) done += (await up.handle.write(bytes, done, bytes.byteLength - done, offset + done)).bytesWritten;
      } catch (e) {
        await this.cancel(uploadId);
        throw new GramophoneError('IO_ERROR', `Could not receive "${up.name}": ${ioReason(e)}.`);
      }
      up.received += bytes.byteLength;
      clearTimeout(up.idle);
      up.idle = this.idleTimer(uploadId);
    });
    up.writing = write.catch(() => undefined);
    await write;
    return up.received;
  }

  /**
   * End an upload whose every byte has arrived.
   * @returns the file's path (kept until `discard`) and its name
   * @throws GramophoneError INVALID_INPUT when bytes are missing (the upload stays open)
   */
  async finish(uploadId: string): Promise<{ path: string; name: string }> {
    const up = this.active.get(uploadId);
    if (!up) throw gone('Could not finish the upload');
    await up.writing;
    if (up.received !== up.size) throw new GramophoneError('INVALID_INPUT', `"${up.name}" is incomplete: ${up.received} of ${up.size} bytes have arrived.`);
    this.active.delete(uploadId);
    clearTimeout(up.idle);
    try {
      await up.handle.close();
    } catch (e) {
      await fsp.rm(up.file, { force: true });
      throw new GramophoneError('IO_ERROR', `Could not receive "${up.name}": ${ioReason(e)}.`);
    }
    this.kept.add(up.file);
    return { path: up.file, name: up.name };
  }

  /** Stop an upload and delete what arrived; false if it was not under way. */
  async cancel(uploadId: string): Promise<boolean> {
    const up = this.active.get(uploadId);
    if (!up) return false;
    this.active.delete(uploadId);
    clearTimeout(up.idle);
    await up.handle.close().catch(() => undefined);
    await fsp.rm(up.file, { force: true });
    return true;
  }

  /** Delete a finished upload no track uses any more, at once (other paths are left alone). */
  discard(file: string): void {
    if (!this.kept.delete(file)) return;
    fs.rmSync(file, { force: true });
  }

  /** Cancel every upload and delete every file (the shell is closing). */
  async dispose(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.cancel(id)));
    for (const f of [...this.kept]) this.discard(f);
  }
}
