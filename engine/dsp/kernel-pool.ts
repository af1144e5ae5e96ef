/**
 * A small pool of worker threads that run the STFT, overlap-add and Griffin-Lim kernels
 * (kernel-tasks.ts) over ranges of frames or samples, sharing the arrays through SharedArrayBuffers. The calling thread
 * works too, so `threads` = 2 means one worker plus the caller; pieces are claimed from a
 * shared counter, so on a busy machine a thread that is not scheduled holds no one up.
 *
 * Workers run the bundled `kernel-worker.js` (scripts/build.mjs puts it next to the engine's
 * entry points). When that file is missing, e.g. when tests run the TypeScript sources, the
 * pool is unavailable and callers compute on one thread, which gives identical results.
 * Idle workers are unref'd so they never keep a process alive; `disposeKernelPool` ends them.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GramophoneError } from '../../common/errors';
import { drainChunks, type KernelTask } from './kernel-tasks';

/** Messages a worker sends back. */
export type WorkerReply = { ready: true } | { id: number; ok: true } | { id: number; ok: false; message: string };
/** Messages a worker receives. */
export interface WorkerRequest {
  id: number;
  task: KernelTask;
  /** [next piece, pieces done], shared by every thread on this job (see drainChunks). */
  ctrl: Int32Array;
  total: number;
  chunks: number;
}

/**
 * The worker script to use, or null when none can be found: `$GRAMOPHONE_KERNEL_WORKER` when
 * set (a path to a built kernel-worker.js, or `none` to compute on one thread), else the
 * script next to the running bundle.
 */
export function kernelWorkerPath(): string | null {
  const chosen = process.env.GRAMOPHONE_KERNEL_WORKER;
  if (chosen) return chosen !== 'none' && existsSync(chosen) ? path.resolve(chosen) : null;
  // Bundled, this module lives in dist/engine/*.js or dist/bench/*.js.
  for (const rel of ['./kernel-worker.js', '../engine/kernel-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (url.protocol !== 'file:') continue;
    const p = fileURLToPath(url);
    if (existsSync(p)) return p;
  }
  return null;
}

/** Threads worth using on this machine for heavy kernel work (the caller included). */
export function defaultKernelThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

type Pending = { resolve: () => void; reject: (e: Error) => void };

class PoolWorker {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Shared arrays this worker has been sent, and their bytes (see RECYCLE_BYTES). */
  private readonly seen = new WeakSet<SharedArrayBuffer>();
  sentBytes = 0;
  dead = false;
  /** Replaced (see RECYCLE_BYTES): takes no new tasks, ends once its tasks are done. */
  private retired = false;

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
        if (this.pending.size === 0 && this.retired) void this.terminate();
        if (m.ok) p.resolve();
        else p.reject(new GramophoneError('INTERNAL', `Kernel worker failed: ${m.message}`));
      });
      this.worker.on('error', fail);
      this.worker.on('exit', (code) => fail(new GramophoneError('INTERNAL', `Kernel worker stopped unexpectedly (exit code ${code}).`)));
    });
    // A worker that dies before anyone waits on it must not surface as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  /** Whether it takes new tasks. A job whose worker was retired meanwhile runs on its other threads. */
  get available(): boolean {
    return !this.dead && !this.retired;
  }

  /** Take no new tasks and end as soon as none is running. */
  retire(): void {
    this.retired = true;
    if (this.pending.size === 0) void this.terminate();
  }

  run(task: KernelTask, ctrl: Int32Array, total: number, chunks: number): Promise<void> {
    if (this.dead) return Promise.reject(new GramophoneError('INTERNAL', 'Kernel worker is not running.'));
    const id = this.nextId++;
    for (const v of Object.values(task)) {
      const buffer = ArrayBuffer.isView(v) ? v.buffer : null;
      if (buffer instanceof SharedArrayBuffer && !this.seen.has(buffer)) {
        this.seen.add(buffer);
        this.sentBytes += buffer.byteLength;
      }
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, task, ctrl, total, chunks } satisfies WorkerRequest);
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

/**
 * Shared bytes a worker may have been sent before it is replaced. A worker's isolate does
 * little allocation of its own, so it rarely collects garbage, and every shared array it was
 * ever sent stays alive until it does: a long file rendered in segments (each Griffin-Lim run
 * sends ≈ 80 MB of new arrays for a minute of audio) would pile them up by the gigabyte.
 * Replacing the worker between jobs (a few ms to start) lets them go.
 */
const RECYCLE_BYTES = 64 * 2 ** 20;

let workers: PoolWorker[] = [];
/** The script `workers` run. */
let workersFile: string | null = null;

/**
 * Runs kernels on `threads` threads (the caller plus threads − 1 workers).
 * Arrays in tasks must live on SharedArrayBuffers (see `sharedFloat32`).
 */
export class KernelPool {
  constructor(private readonly pool: PoolWorker[]) {}

  /** Threads this pool uses, the calling thread included. */
  get threads(): number {
    return this.pool.length + 1;
  }

  /**
   * Run `task` over [0, total) in pieces of at least `minPiece`, claimed by whichever thread
   * is free. Resolves when every piece is done; workers that wake up late find nothing left
   * and are not waited for.
   */
  async run(task: KernelTask, total: number, minPiece: number): Promise<void> {
    const chunks = Math.max(1, Math.min(Math.ceil(total / minPiece), PIECES_PER_THREAD * this.threads));
    const ctrl = new Int32Array(new SharedArrayBuffer(8));
    let failure: unknown = null;
    let signalFailure = () => {};
    const failed = new Promise<void>((resolve) => (signalFailure = resolve));
    for (const w of this.pool) {
      if (!w.available) continue;
      w.run(task, ctrl, total, chunks).catch((e: unknown) => {
        failure ??= e;
        signalFailure();
      });
    }
    try {
      drainChunks(task, ctrl, total, chunks);
    } catch (e) {
      Atomics.store(ctrl, 0, chunks);
      throw e;
    }
    for (;;) {
      if (failure) throw failure;
      const done = Atomics.load(ctrl, 1);
      if (done >= chunks) return;
      const wait = waitAsync(ctrl, 1, done, 1000);
      if (wait.async) await Promise.race([wait.value, failed]);
    }
  }
}

/** Pieces per thread: enough that a descheduled thread delays a phase by little. */
const PIECES_PER_THREAD = 8;

// Atomics.waitAsync is in Node 16+ but not in TypeScript's ES2022 lib.
type WaitAsyncResult = { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, ms: number): WaitAsyncResult }).waitAsync;

/**
 * A pool of `threads` threads, starting workers if needed; null when `threads` ≤ 1, no
 * worker script is found, or the workers fail to start (callers then use one thread).
 */
export async function acquireKernelPool(threads: number): Promise<KernelPool | null> {
  const want = Math.floor(threads) - 1;
  if (want < 1) return null;
  const file = kernelWorkerPath();
  if (!file) return null;
  // Workers started from another script (the environment changed) are not reused.
  if (file !== workersFile) await disposeKernelPool();
  workersFile = file;
  const stale = workers.filter((w) => !w.available || w.sentBytes > RECYCLE_BYTES);
  workers = workers.filter((w) => !stale.includes(w));
  for (const w of stale) w.retire();
  while (workers.length < want) workers.push(new PoolWorker(file));
  const chosen = workers.slice(0, want);
  try {
    await Promise.all(chosen.map((w) => w.ready));
  } catch {
    await disposeKernelPool();
    return null;
  }
  return new KernelPool(chosen);
}

/** End every worker thread. Safe to call at any time; later work starts new workers. */
export async function disposeKernelPool(): Promise<void> {
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
