/**
 * The batch folder's bookkeeping: results.jsonl (appended one line per finished job, read
 * back to resume), a lock so two batches never write one folder, and the clean-up of
 * temporary files a killed batch left behind.
 */
import { appendFile, open, readFile, readdir, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { RESULTS_FILE, parseResultLines, type BatchResult } from '../../common/batch';
import { GramophoneError } from '../../common/errors';
import { sha256Hex } from './job-key';

const LOCK_FILE = '.gramophone-batch.lock';

/**
 * The last valid line for each output in a results file; a line cut short by a killed batch,
 * or anything else unreadable, is passed over.
 */
export async function readResults(dir: string): Promise<Map<string, BatchResult>> {
  let text: string;
  try {
    text = await readFile(path.join(dir, RESULTS_FILE), 'utf8');
  } catch {
    return new Map();
  }
  return parseResultLines(text).byOut;
}

/** Appends result lines one at a time, each a single write, after a newline if the file lacks one. */
export function resultsWriter(dir: string): (r: BatchResult) => Promise<void> {
  const file = path.join(dir, RESULTS_FILE);
  let chain: Promise<void> = (async () => {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text && !text.endsWith('\n')) await appendFile(file, '\n');
  })();
  return (r) => {
    const next = chain.then(() => appendFile(file, JSON.stringify(r) + '\n'));
    chain = next.catch(() => undefined);
    return next.catch((e: Error) => {
      throw new GramophoneError('IO_ERROR', `Cannot add to ${file}: ${e.message}`);
    });
  };
}

/** Whether `file` holds exactly the bytes whose SHA-256 is `sha256`. */
export async function fileMatches(file: string, sha256: string | undefined): Promise<boolean> {
  if (!sha256) return false;
  try {
    return sha256Hex(await readFile(file)) === sha256;
  } catch {
    return false;
  }
}

/** Temporary files of atomic writes (".take.wav.<pid>-<time>-<random>.tmp") left by a batch that was killed. */
export async function removeStaleTemporaries(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((n) => /^\..+\.wav\.\d+-[a-z0-9]+-[a-z0-9]+\.tmp$/i.test(n));
  await Promise.all(stale.map((n) => unlink(path.join(dir, n)).catch(() => undefined)));
  return stale.length;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Take the folder's batch lock. A lock left by a process that is gone is taken over.
 * @returns a function that releases it
 * @throws GramophoneError IO_ERROR when another live batch holds it
 */
export async function lockFolder(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_FILE);
  const me = JSON.stringify({ pid: process.pid, host: hostname() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const h = await open(file, 'wx');
      await h.writeFile(me);
      await h.close();
      return () => unlink(file).catch(() => undefined);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new GramophoneError('IO_ERROR', `Cannot write in the output folder ${dir}: ${(e as Error).message}`);
    }
    let holder: { pid?: number; host?: string } = {};
    try {
      holder = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      /* a half-written lock: its writer died mid-write */
    }
    if (holder.pid && holder.host === hostname() && holder.pid !== process.pid && alive(holder.pid)) {
      throw new GramophoneError('IO_ERROR', `Another batch (process ${holder.pid}) is writing to ${dir}; wait for it or stop it first`);
    }
    if (holder.pid && holder.host && holder.host !== hostname()) {
      throw new GramophoneError('IO_ERROR', `A batch on ${holder.host} (process ${holder.pid}) holds ${dir}; if it is gone, delete ${file}`);
    }
    await writeFile(file, me).catch(() => undefined);
    await unlink(file).catch(() => undefined);
  }
  throw new GramophoneError('IO_ERROR', `Cannot lock the output folder ${dir}`);
}
