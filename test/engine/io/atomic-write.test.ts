import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import * as realFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GramophoneError } from '../../../common/errors';
import { copyFileAtomic, writeFileAtomic, type AtomicFileHandle, type AtomicFs } from '../../../engine/io/atomic-write';

type Step = 'open' | 'write' | 'sync' | 'close' | 'rename';

const fsError = (code: string) => Object.assign(new Error(`${code}: simulated failure`), { code });

/**
 * The real file system with one injected fault: `step` fails with `code`. A failing write
 * first really writes half the bytes, as a disk that fills up part-way does.
 */
function faulty(step: Step | 'none', code = '', log: string[] = []): AtomicFs {
  return {
    async open(path, flags, mode) {
      log.push(`open ${path}`);
      if (step === 'open') throw fsError(code);
      const h = await realFs.open(path, flags, mode);
      const handle: AtomicFileHandle = {
        async write(buffer, offset, length, position) {
          if (step === 'write') {
            await h.write(buffer, offset, Math.floor(length / 2), position);
            throw fsError(code);
          }
          return h.write(buffer, offset, length, position);
        },
        async sync() {
          if (step === 'sync') throw fsError(code);
          return h.sync();
        },
        async close() {
          await h.close();
          if (step === 'close') throw fsError(code);
        },
      };
      return handle;
    },
    async rename(from, to) {
      log.push(`rename ${from} ${to}`);
      if (step === 'rename') throw fsError(code);
      return realFs.rename(from, to);
    },
    unlink: (p) => realFs.unlink(p),
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gramophone-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const payload = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 0xff);
const original = new TextEncoder().encode('the stem that was there before');

async function failure(p: Promise<void>): Promise<GramophoneError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(GramophoneError);
    return e as GramophoneError;
  }
  throw new Error('expected the write to fail');
}

describe('writeFileAtomic', () => {
  it('writes the bytes, replaces an existing file and leaves no temporary file', async () => {
    const target = join(dir, 'take 1.wav');
    await writeFileAtomic(target, original);
    await writeFileAtomic(target, payload);
    expect(new Uint8Array(await readFile(target))).toEqual(payload);
    expect(await readdir(dir)).toEqual(['take 1.wav']);
  });

  it('writes its temporary file in the target folder, then renames it', async () => {
    const log: string[] = [];
    const target = join(dir, 'stem.wav');
    await writeFileAtomic(target, payload, faulty('none', '', log));
    const temp = log[0].slice('open '.length);
    expect(dirname(temp)).toBe(dir);
    expect(temp).not.toBe(target);
    expect(log).toContain(`rename ${temp} ${target}`);
  });

  const faults: [Step, string, RegExp][] = [
    ['write', 'ENOSPC', /disk is full/],
    ['open', 'EROFS', /read-only/],
    ['open', 'EACCES', /permission/],
    ['open', 'EPERM', /permission/],
    ['open', 'ENOENT', /folder does not exist/],
    ['sync', 'EIO', /read\/write error/],
    ['close', 'EIO', /read\/write error/],
    ['rename', 'EBUSY', /locked by another program/],
    ['rename', 'EXDEV', /EXDEV: simulated failure/],
  ];
  for (const [step, code, reason] of faults) {
    it(`${code} at ${step}: IO_ERROR, no partial file, existing target byte-identical`, async () => {
      const target = join(dir, 'stem.wav');
      await writeFile(target, original);
      const err = await failure(writeFileAtomic(target, payload, faulty(step, code)));
      expect(err.code).toBe('IO_ERROR');
      expect(err.message).toContain('"stem.wav"');
      expect(err.message).toContain(dir);
      expect(err.message).toMatch(reason);
      expect(await readdir(dir)).toEqual(['stem.wav']);
      expect(new Uint8Array(await readFile(target))).toEqual(original);
    });
  }

  it('leaves nothing behind when there was no target yet', async () => {
    const target = join(dir, 'new.wav');
    await failure(writeFileAtomic(target, payload, faulty('write', 'ENOSPC')));
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a missing folder from the real file system', async () => {
    const err = await failure(writeFileAtomic(join(dir, 'no such folder', 'stem.wav'), payload));
    expect(err.code).toBe('IO_ERROR');
    expect(err.message).toMatch(/"stem\.wav".*folder does not exist \(ENOENT\)/);
  });

  it('fails instead of spinning when the disk accepts no bytes', async () => {
    const stuck: AtomicFs = {
      ...faulty('none'),
      async open(path, flags, mode) {
        const h = await realFs.open(path, flags, mode);
        return { write: async () => ({ bytesWritten: 0 }), sync: () => h.sync(), close: () => h.close() };
      },
    };
    const err = await failure(writeFileAtomic(join(dir, 'stem.wav'), payload, stuck));
    expect(err.code).toBe('IO_ERROR');
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('copyFileAtomic', () => {
  it('copies, and names what is missing: the file to copy, or the folder to copy into', async () => {
    const source = join(dir, 'input.wav');
    await writeFile(source, payload);
    await copyFileAtomic(source, join(dir, 'kept.wav'));
    expect(new Uint8Array(await readFile(join(dir, 'kept.wav')))).toEqual(payload);
    const gone = await failure(copyFileAtomic(join(dir, 'no such.wav'), join(dir, 'copy.wav')));
    expect(gone.message).toBe(`Could not save "copy.wav" in ${dir}: its source ${join(dir, 'no such.wav')} is gone (ENOENT).`);
    const noFolder = await failure(copyFileAtomic(source, join(dir, 'missing', 'copy.wav')));
    expect(noFolder.message).toMatch(/the folder does not exist \(ENOENT\)/);
    expect((await readdir(dir)).sort()).toEqual(['input.wav', 'kept.wav']);
  });
});
