/**
 * Atomic file writes (stems, presets, the CLI's take): a reader sees either the old file
 * or the complete new one, never a partial file, whatever fails part-way.
 */
import fsSync from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GramophoneError } from '../../common/errors';

/** The part of an open file `writeFileAtomic` uses (node's FileHandle satisfies it). */
export interface AtomicFileHandle {
  write(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The file-system calls `writeFileAtomic` makes; tests pass one that fails on demand. */
export interface AtomicFs {
  open(path: string, flags: string, mode?: number): Promise<AtomicFileHandle>;
  rename(oldPath: string, newPath: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'your disk quota is used up',
  EROFS: 'the disk is read-only',
  EACCES: 'you do not have permission to write there',
  EPERM: 'you do not have permission to write there',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'the folder does not exist',
  EBUSY: 'the file is locked by another program',
  EISDIR: 'a folder of that name is in the way',
  ENAMETOOLONG: 'the file name is too long',
  EMFILE: 'too many files are open',
  EIO: 'the disk reported a read/write error',
};

function errorCode(e: unknown): string | undefined {
  return e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined;
}

/** A file-system error in words, with its code when it has one: "the disk is full (ENOSPC)". */
export function ioReason(e: unknown): string {
  const code = errorCode(e);
  return code && REASONS[code] ? `${REASONS[code]} (${code})` : e instanceof Error ? e.message : String(e);
}

function ioError(path: string, e: unknown): GramophoneError {
  return new GramophoneError('IO_ERROR', `Could not save "${basename(path)}" in ${dirname(path)}: ${ioReason(e)}.`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Windows refuses a rename for a moment while a virus scanner or indexer holds the file. */
async function renameWithRetry(fs: AtomicFs, from: string, to: string): Promise<void> {
  const transient = process.platform === 'win32' ? ['EPERM', 'EACCES', 'EBUSY'] : [];
  for (let attempt = 0; ; attempt++) {
    try {
      return await fs.rename(from, to);
    } catch (e) {
      if (attempt >= 4 || !transient.includes(errorCode(e) ?? '')) throw e;
      await sleep(50 * 2 ** attempt);
    }
  }
}

/**
 * Write `bytes` to `path` atomically: write a temporary file in the same folder (so the
 * rename never crosses file systems), fsync it, rename it over the target, then fsync the
 * folder where the platform allows. On any failure the temporary file is removed and an
 * existing target is left exactly as it was.
 *
 * @param path the target file
 * @param bytes the complete new contents
 * @param fs file-system implementation; node:fs/promises by default
 * @param mode permissions of a new file (less the umask): 0o600 for files private to the user
 * @throws GramophoneError IO_ERROR naming the file, the folder and the reason (disk full,
 *   read-only, no permission, missing folder, file locked…)
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, fs: AtomicFs = nodeFs, mode = 0o666): Promise<void> {
  return writeFileAtomicStreamed(path, (write) => write(bytes), fs, mode);
}

/** Appends the next bytes of a file being written; resolves once they are all in the file. */
export type AppendBytes = (bytes: Uint8Array) => Promise<void>;

/**
 * `writeFileAtomic` for contents made piece by piece, so a large file (a long take) is never
 * held whole: `produce` appends the file's bytes in order through `write`. The target
 * appears only once `produce` has finished and the file is on disk; if `produce` throws,
 * the temporary file is removed and its error passes through unchanged (a GramophoneError
 * keeps its code); a file-system failure becomes IO_ERROR as in `writeFileAtomic`.
 */
export async function writeFileAtomicStreamed(path: string, produce: (write: AppendBytes) => Promise<void>, fs: AtomicFs = nodeFs, mode = 0o666): Promise<void> {
  const dir = dirname(path);
  const tag = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const temp = join(dir, `.${basename(path)}.${tag}.tmp`);
  let handle: AtomicFileHandle | undefined;
  let created = false;
  let producerError: unknown;
  let writeFailed = false;
  try {
    const h = await fs.open(temp, 'wx', mode);
    handle = h;
    created = true;
    let position = 0;
    const write: AppendBytes = async (bytes) => {
      let written = 0;
      try {
        while (written < bytes.length) {
          const { bytesWritten } = await h.write(bytes, written, bytes.length - written, position);
          if (!(bytesWritten > 0)) throw Object.assign(new Error('the disk accepted no more bytes'), { code: 'EIO' });
          written += bytesWritten;
          position += bytesWritten;
        }
      } catch (e) {
        writeFailed = true;
        throw e;
      }
    };
    try {
      await produce(write);
    } catch (e) {
      // A write's own failure is the disk's; anything else is the producer's to report.
      if (!writeFailed) producerError = e;
      throw e;
    }
    await h.sync();
    handle = undefined;
    await h.close();
    await renameWithRetry(fs, temp, path);
    created = false;
  } catch (e) {
    if (handle) await handle.close().catch(() => undefined);
    if (created) await fs.unlink(temp).catch(() => undefined);
    if (producerError !== undefined) throw producerError;
    throw ioError(path, e);
  }
  // The rename is durable only once the folder entry is on disk; folders cannot be opened
  // for sync on Windows, and the file is complete either way, so failures are ignored.
  try {
    const d = await fs.open(dir, 'r');
    await d.sync().finally(() => d.close());
  } catch {
    /* best effort */
  }
}

/**
 * Copy the file at `from` to `path` atomically, without holding it in memory (a file main
 * keeps, into a session's folder): a temporary copy in the target folder, fsync, rename.
 * @param mode permissions of the copy, when given (otherwise the source's)
 * @throws GramophoneError IO_ERROR naming the target, its folder and the reason
 */
export async function copyFileAtomic(from: string, path: string, mode?: number): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.tmp`);
  try {
    await nodeFs.copyFile(from, temp, nodeFs.constants.COPYFILE_EXCL);
  } catch (e) {
    // The file to copy gone is not a missing target folder: say which it is.
    if (errorCode(e) === 'ENOENT' && !fsSync.existsSync(from) && fsSync.existsSync(dirname(path))) {
      throw new GramophoneError('IO_ERROR', `Could not save "${basename(path)}" in ${dirname(path)}: its source ${from} is gone (ENOENT).`);
    }
    throw ioError(path, e);
  }
  try {
    if (mode !== undefined) await nodeFs.chmod(temp, mode);
    const h = await nodeFs.open(temp, 'r+');
    await h.sync().finally(() => h.close());
    await nodeFs.rename(temp, path);
  } catch (e) {
    await nodeFs.unlink(temp).catch(() => undefined);
    throw ioError(path, e);
  }
}

/**
 * Make a folder the app keeps private to its user (0700), where the disk allows: on a
 * read-only disk nothing can change and nothing new is written, so that is not an error here.
 */
export function makePrivate(dir: string): void {
  try {
    fsSync.chmodSync(dir, 0o700);
  } catch {
    /* a read-only disk or a folder owned by another user: reported when a write fails */
  }
}

/**
 * Make `dir` (and its parents, private to the user) and check it can be written.
 * @returns why it cannot, in words ("the disk is read-only (EROFS)"), or null when it can
 */
export function folderWriteProblem(dir: string): string | null {
  try {
    fsSync.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fsSync.accessSync(dir, fsSync.constants.W_OK);
    return null;
  } catch (e) {
    // A recursive mkdir on a read-only disk fails with ENOENT ("does not exist"): the nearest
    // folder that does exist tells the real reason.
    if (errorCode(e) === 'ENOENT') {
      let up = dir;
      while (!fsSync.existsSync(up) && dirname(up) !== up) up = dirname(up);
      try {
        fsSync.accessSync(up, fsSync.constants.W_OK);
      } catch (why) {
        return ioReason(why);
      }
    }
    return ioReason(e);
  }
}
