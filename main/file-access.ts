/**
 * Reading and writing the files a user chose in a dialog, with errors in words. Writes are
 * atomic (engine/io/atomic-write); the file system is injectable so tests can make it fail.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { GramophoneError } from '../common/errors';
import { writeFileAtomic, type AtomicFs } from '../engine/io/atomic-write';

const READ_REASONS: Record<string, string> = {
  ENOENT: 'the file does not exist (it may have been moved or deleted)',
  EACCES: 'you do not have permission to read it',
  EPERM: 'you do not have permission to read it',
  EISDIR: 'it is a folder, not a file',
  EBUSY: 'it is locked by another program',
  EIO: 'the disk reported a read error',
};

/** Why a file could not be read, in words: "the file does not exist (it may have been moved or deleted)". */
export function readReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return READ_REASONS[code] ?? (e instanceof Error ? e.message : String(e));
}

export interface FileAccess {
  /** Read a whole file no larger than `maxBytes`. @throws GramophoneError IO_ERROR / INVALID_INPUT */
  read(file: string, maxBytes: number): Promise<Uint8Array>;
  /** Write atomically (temp file in the same folder + rename). @throws GramophoneError IO_ERROR */
  writeAtomic(file: string, bytes: Uint8Array): Promise<void>;
  /** True if something exists at `file`. */
  exists(file: string): Promise<boolean>;
  /** True if `dir` is an existing folder. */
  isFolder(dir: string): Promise<boolean>;
}

/** Node file access; `atomicFs` lets tests inject failures into writes. */
export function nodeFileAccess(atomicFs?: AtomicFs): FileAccess {
  return {
    async read(file, maxBytes) {
      const name = path.basename(file);
      try {
        const st = await fs.stat(file);
        if (st.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
        if (st.size > maxBytes) {
          throw new GramophoneError('INVALID_INPUT', `"${name}" is too large (${(st.size / 2 ** 20).toFixed(0)} MiB; the limit is ${(maxBytes / 2 ** 20).toFixed(0)} MiB).`);
        }
        return new Uint8Array(await fs.readFile(file));
      } catch (e) {
        if (e instanceof GramophoneError) throw e;
        throw new GramophoneError('IO_ERROR', `Could not open "${name}": ${readReason(e)}.`);
      }
    },
    writeAtomic: (file, bytes) => writeFileAtomic(file, bytes, atomicFs),
    async exists(file) {
      return fs.stat(file).then(
        () => true,
        () => false,
      );
    },
    async isFolder(dir) {
      return fs.stat(dir).then(
        (s) => s.isDirectory(),
        () => false,
      );
    },
  };
}
