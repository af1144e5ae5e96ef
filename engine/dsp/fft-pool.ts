/**
 * A small pool of worker threads that run STFT kernels (stft-kernels.ts) over ranges of
 * frames or samples, sharing the arrays through SharedArrayBuffers. The calling thread
 * always takes the first range itself, so `threads` = 2 means one worker plus the caller.
 *
 * Workers run the bundled `fft-worker.js` (scripts/build.mjs puts it next to the engine's
 * entry points). When that file is missing, e.g. when tests run the TypeScript sources, the
 * pool is unavailable and callers compute on one thread, which gives identical results.
 * Idle workers are unref'd so they never keep a process alive; `disposeFftPool` ends them.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GramophoneError } from '../../common/errors';
import { runKernel, type KernelTask } from './stft-kernels';

/** Messages a worker sends back. */
export type WorkerReply = { ready: true } | { id: number; ok: true } | { id: number; ok: false; message: string };
/** Messages a worker receives. */
export interface WorkerRequest {
  id: number;
  task: KernelTask;
  a: number;
  b: number;
}

let pathOverride: string | null | undefined;

/**
 * Choose the worker script: a path to a built fft-worker.js, `null` to disable threads, or
 * `undefined` to go back to looking next to the running bundle.
 */
export function setFftWorkerPath(path: string | null | undefined): void {
  if (path !== pathOverride) void disposeFftPool();
  pathOverride = path;
}

/** The worker script to use, or null when none can be found. */
export function fftWorkerPath(): string | null {
  if (pathOverride !== undefined) return pathOverride && existsSync(pathOverride) ? pathOverride : null;
  // Bundled, this module lives in dist/engine/*.js or dist/bench/*.js.
  for (const rel of ['./fft-worker.js', '../engine/fft-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (url.protocol !== 'file:') continue;
    const p = fileURLToPath(url);
    if (existsSync(p)) return p;
  }
  return null;
}

/** Threads worth using on this machine for heavy STFT work (the caller included). */
export function defaultFftThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

type Pending = { resolve: () => void; reject: (e: Error) => void };

class PoolWorker {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  dead = false;

  constructor(file: string) {
    this.worker = new Worker(file);
    this.ready = new Promise<void>((resolve, reject) => {
      const fail = (e: Error) => {
        this.fail(e);
        reject(e);
      };
      this.worker.on('message', (m: WorkerReply) => {
        if ('ready' in m) {
          this.worker.unref();
          resolve();
          return;
        }
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (this.pending.size === 0) this.worker.unref();
        if (m.ok) p.resolve();
        else p.reject(new GramophoneError('INTERNAL', `FFT worker failed: ${m.message}`));
      });
      this.worker.on('error', fail);
      this.worker.on('exit', (code) => fail(new GramophoneError('INTERNAL', `FFT worker stopped unexpectedly (exit code ${code}).`)));
    });
    // A worker that dies before anyone waits on it must not surface as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  run(task: KernelTask, a: number, b: number): Promise<void> {
    if (this.dead) return Promise.reject(new GramophoneError('INTERNAL', 'FFT worker is not running.'));
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, task, a, b } satisfies WorkerRequest);
    });
  }

  private fail(e: Error): void {
    this.dead = true;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  terminate(): Promise<number> {
    this.dead = true;
    return this.worker.terminate();
  }
}

let workers: PoolWorker[] = [];

/**
 * Runs kernels over ranges on `threads` threads (the caller plus threads − 1 workers).
 * Arrays in tasks must live on SharedArrayBuffers (see `sharedFloat32`).
 */
export class FftPool {
  constructor(private readonly pool: PoolWorker[]) {}

  /** Threads this pool uses, the calling thread included. */
  get threads(): number {
    return this.pool.length + 1;
  }

  /** Run `task` over [0, total) split into contiguous ranges, one per thread. */
  async run(task: KernelTask, total: number): Promise<void> {
    const parts = splitRange(total, this.threads);
    const remote = this.pool.map((w, i) => w.run(task, parts[i + 1][0], parts[i + 1][1]));
    try {
      runKernel(task, parts[0][0], parts[0][1]);
    } finally {
      // Wait for every worker even if the local share threw, so no one writes afterwards.
      const results = await Promise.allSettled(remote);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    }
  }
}

/** [start, end) ranges covering [0, total) in `parts` nearly equal pieces, in order. */
export function splitRange(total: number, parts: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < parts; i++) out.push([Math.floor((total * i) / parts), Math.floor((total * (i + 1)) / parts)]);
  return out;
}

/**
 * A pool of `threads` threads, starting workers if needed; null when `threads` ≤ 1, no
 * worker script is found, or the workers fail to start (callers then use one thread).
 */
export async function acquireFftPool(threads: number): Promise<FftPool | null> {
  const want = Math.floor(threads) - 1;
  if (want < 1) return null;
  const file = fftWorkerPath();
  if (!file) return null;
  workers = workers.filter((w) => !w.dead);
  while (workers.length < want) workers.push(new PoolWorker(file));
  const chosen = workers.slice(0, want);
  try {
    await Promise.all(chosen.map((w) => w.ready));
  } catch {
    await disposeFftPool();
    return null;
  }
  return new FftPool(chosen);
}

/** End every worker thread. Safe to call at any time; later work starts new workers. */
export async function disposeFftPool(): Promise<void> {
  const all = workers;
  workers = [];
  await Promise.all(all.map((w) => w.terminate()));
}

/** A zeroed Float32Array on a SharedArrayBuffer when `shared`, else an ordinary one. */
export function sharedFloat32(length: number, shared: boolean): Float32Array {
  return shared ? new Float32Array(new SharedArrayBuffer(length * 4)) : new Float32Array(length);
}

/** A zeroed Float64Array on a SharedArrayBuffer when `shared`, else an ordinary one. */
export function sharedFloat64(length: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}
