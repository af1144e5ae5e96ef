/**
 * A pool of engine processes (engine-process.js forked under plain Node, speaking the
 * engine protocol with typed arrays intact): renders wait in one FIFO queue and each process
 * takes one at a time. A process that dies fails only the job it was running, with
 * ENGINE_CRASHED and its last words, and is replaced for the next job.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { RenderProgress, TakeResult } from '../../common/audio';
import { DEVICE_ENV, type DeviceChoice } from '../../common/device';
import { engineApi, type RenderRequest } from '../../common/engine-api';
import { GramophoneError, cancelled, type Settlers } from '../../common/errors';
import { connect, type RpcConnection } from '../../common/rpc';
import type { EngineApi } from '../../common/engine-api';
import { childProcessPort } from '../../engine/io/child-port';

/** Memory to allow each engine process: the reference preset (4096 filters, 10 s) peaks near 1 GiB. */
const BYTES_PER_PROCESS = 2 * 1024 ** 3;

/**
 * Engine processes a local batch starts when not told: one per core, as long as each can
 * have 2 GiB of memory. A job's matrix work already spreads over every core (onnxruntime's
 * thread pool), but much of it (STFT, L-BFGS, Griffin-Lim's bookkeeping, all of a wasm tfjs
 * render) runs on one thread, which leaves cores a second job can use; a second process
 * was measured to cost no extra CPU per job (README, "Batch and distributed rendering").
 */
export const defaultProcesses = (cores = availableParallelism(), memory = totalmem()): number => Math.max(1, Math.min(cores, Math.floor(memory / BYTES_PER_PROCESS)));

export interface EnginePoolOptions {
  /** How many engine processes run at once. */
  processes: number;
  /** engine-process.js; default: the built one in dist/engine/. */
  entry?: string;
  /** Device for the onnx backend in every process. */
  device?: DeviceChoice;
  /** Engine log lines (warnings such as a GPU fallback), with the process id. */
  onLog?: (line: string, pid: number | undefined) => void;
  /** How long a cancelled render may take to stop before its process is killed, in ms. */
  cancelDeadlineMs?: number;
}

interface Slot {
  child: ChildProcess;
  rpc: RpcConnection<EngineApi>;
  /** The job running on it, if any. */
  job?: Pending;
  /** Last lines the process wrote to stderr, for a crash message. */
  stderrTail: string[];
  /** Why it was killed on purpose (a cancel past its deadline), if it was. */
  killedBecause?: GramophoneError;
}

interface Pending extends Settlers<TakeResult> {
  request: RenderRequest;
  options: RenderOptions;
  /** Aborted by the caller's signal or by `cancelAll`. */
  stop: AbortController;
}

/** How a render is watched and stopped. */
export interface RenderOptions {
  /** Aborting stops the job, queued or running; it then rejects with CANCELLED. */
  signal?: AbortSignal;
  onProgress?: (p: RenderProgress) => void;
  /** Told when a process takes the job, with its pid. */
  onStart?: (pid: number | undefined) => void;
}

/** The engine entry of the built tree (dist/engine/engine-process.js, beside this bundle's dist/cli/). */
function bundledEngineEntry(): string {
  return fileURLToPath(new URL('../engine/engine-process.js', import.meta.url));
}

export class EnginePool {
  private readonly slots: (Slot | undefined)[];
  private readonly queue: Pending[] = [];
  private readonly entry: string;
  private closed = false;
  private consecutiveCrashes = 0;
  private brokenReason: string | undefined;

  constructor(private readonly opts: EnginePoolOptions) {
    if (!Number.isInteger(opts.processes) || opts.processes < 1) throw new GramophoneError('INVALID_INPUT', `The pool needs at least one engine process (got ${opts.processes})`);
    this.entry = opts.entry ?? bundledEngineEntry();
    if (!existsSync(this.entry)) throw new GramophoneError('INTERNAL', `The engine program ${this.entry} is missing: build with "npm run build"`);
    this.slots = new Array<Slot | undefined>(opts.processes).fill(undefined);
  }

  /** Number of engine processes. */
  get size(): number {
    return this.slots.length;
  }

  /**
   * Render on the next free process.
   * @throws GramophoneError: the engine's own errors, ENGINE_CRASHED if its process died,
   *   CANCELLED when stopped
   */
  render(request: RenderRequest, options: RenderOptions = {}): Promise<TakeResult> {
    if (this.closed || options.signal?.aborted) return Promise.reject(cancelled());
    return new Promise<TakeResult>((resolve, reject) => {
      const job: Pending = { request, options, stop: new AbortController(), resolve, reject };
      options.signal?.addEventListener('abort', () => job.stop.abort(), { once: true });
      job.stop.signal.addEventListener('abort', () => this.stopJob(job), { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Stop every queued and running job. Resolves once every process is idle or gone. */
  async cancelAll(): Promise<void> {
    const running = this.slots.flatMap((s) => (s?.job ? [s.job] : []));
    for (const job of [...this.queue, ...running]) job.stop.abort();
    await Promise.all(running.map((job) => new Promise<void>((resolve) => this.whenSettled(job, resolve))));
  }

  /** Cancel everything and end the processes. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.cancelAll();
    this.closed = true;
    for (const s of this.slots) if (s) this.end(s);
  }

  private readonly settledListeners = new Map<Pending, (() => void)[]>();
  private whenSettled(job: Pending, listener: () => void): void {
    this.settledListeners.set(job, [...(this.settledListeners.get(job) ?? []), listener]);
  }

  /** A queued job leaves the queue; a running one is asked to stop (the RPC carries the cancel), and killed past the deadline. */
  private stopJob(job: Pending): void {
    const i = this.queue.indexOf(job);
    if (i >= 0) {
      this.queue.splice(i, 1);
      job.reject(cancelled());
      return;
    }
    const slot = this.slots.find((s) => s?.job === job);
    if (!slot) return;
    const deadline = setTimeout(() => {
      if (slot.job !== job) return;
      slot.killedBecause = cancelled();
      slot.child.kill('SIGKILL');
    }, this.opts.cancelDeadlineMs ?? 3000);
    this.whenSettled(job, () => clearTimeout(deadline));
  }

  private dispatch(): void {
    for (let i = 0; i < this.slots.length && this.queue.length; i++) {
      if (this.brokenReason) {
        for (const p of this.queue.splice(0)) p.reject(new GramophoneError('ENGINE_CRASHED', this.brokenReason));
        return;
      }
      let slot = this.slots[i];
      if (slot?.job) continue;
      slot ??= this.slots[i] = this.spawn(i);
      this.start(slot, this.queue.shift()!);
    }
  }

  private spawn(i: number): Slot {
    const child = fork(this.entry, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, ...(this.opts.device ? { [DEVICE_ENV]: this.opts.device } : {}) },
    });
    const rpc = connect<EngineApi>(childProcessPort(child), engineApi);
    const slot: Slot = { child, rpc, stderrTail: [] };
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      slot.stderrTail.push(...d.split('\n').filter((l) => l.trim()));
      slot.stderrTail.splice(0, Math.max(0, slot.stderrTail.length - 5));
    });
    rpc.on('log', (e) => {
      if (e.level !== 'info') this.opts.onLog?.(e.message, child.pid);
    });
    const onGone = (why: string) => {
      if (this.slots[i] !== slot) return;
      this.slots[i] = undefined;
      const reason = slot.killedBecause ?? new GramophoneError('ENGINE_CRASHED', `The engine process ${child.pid ?? ''} ${why}${slot.stderrTail.length ? `: ${slot.stderrTail.at(-1)}` : ''}`);
      if (slot.job && !slot.killedBecause && !this.closed) this.consecutiveCrashes++;
      if (this.consecutiveCrashes >= 3 * this.slots.length) this.brokenReason = `Engine processes keep dying (${reason.message}); stopping the batch`;
      rpc.failPending(reason.toData());
      rpc.close();
      if (!this.closed) this.dispatch();
    };
    child.on('exit', (code, signal) => onGone(signal ? `was killed by ${signal}` : `exited with code ${code}`));
    child.on('error', (e) => onGone(`could not run (${e.message})`));
    return slot;
  }

  private start(slot: Slot, job: Pending): void {
    const { request, options } = job;
    slot.job = job;
    slot.killedBecause = undefined;
    options.onStart?.(slot.child.pid);
    const off = options.onProgress ? slot.rpc.on('progress', (p) => p.jobId === request.jobId && options.onProgress!(p)) : () => undefined;
    slot.rpc.api
      .render(request, { signal: job.stop.signal })
      .then(
        (take) => {
          this.consecutiveCrashes = 0;
          job.resolve(take);
        },
        (e: GramophoneError) => job.reject(e),
      )
      .finally(() => {
        off();
        if (slot.job === job) slot.job = undefined;
        for (const l of this.settledListeners.get(job) ?? []) l();
        this.settledListeners.delete(job);
        this.dispatch();
      });
  }

  private end(slot: Slot): void {
    slot.rpc.close();
    if (slot.child.connected) slot.child.disconnect();
    setTimeout(() => slot.child.exitCode === null && slot.child.signalCode === null && slot.child.kill('SIGKILL'), 2000).unref();
  }
}
