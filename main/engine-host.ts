/**
 * Hosts the engine process: starts it through an injected launcher (Electron
 * `utilityProcess`, or a Node child process in the local server and tests), speaks the
 * engine protocol to it, and survives it dying.
 *
 * Any exit while the host still wants the engine is a crash, whatever the exit code says:
 * every pending call is rejected with ENGINE_CRASHED, the engine is restarted after a
 * back-off, and after repeated failures to come back up the host stops trying (state
 * `failed`). A call is never retried automatically: the input that was running when the
 * engine died may be what killed it.
 *
 * The message names how the process ended (the signal, or the exit code). While it runs its
 * resident memory is sampled; a SIGKILL after it came near the engine's memory budget (or
 * while the machine had almost no memory left) is an out-of-memory kill, and the calls fail
 * with OUT_OF_MEMORY saying the file was too large for memory and how to render it in chunks.
 */
import { memoryLimits } from '../engine/io/memory';
import { connect, type CallOptions, type EventData, type PortLike, type RpcConnection, type ArgsOf, type ResultOf, type MethodName } from '../common/rpc';
import { MEMORY_BUDGET_ENV, engineApi, type EngineApi } from '../common/engine-api';
import { GramophoneError, cancelled, type ErrorData } from '../common/errors';
import { formatBytes } from '../common/units';
import type { EngineStatus } from '../common/contract';
import type { RenderProgress, TakeChunk } from '../common/audio';

/** A running engine process as the host sees it. */
export interface EngineChild {
  port: PortLike;
  /** Kill the process now (SIGKILL or the platform's equivalent). */
  kill(): void;
  /** Called once when the process has exited, with its exit code and the signal that ended it, if any. */
  onExit(listener: (code: number | null, signal?: string | null) => void): void;
  /** The process's resident memory now, in bytes, where the platform tells (null otherwise). */
  residentBytes?(): number | null;
}

/** A SIGKILL after the engine's memory reached this share of its budget is taken for an out-of-memory kill. */
export const OOM_BUDGET_SHARE = 0.8;
/** …as is one while the machine had less than this share of its memory available. */
const OOM_AVAILABLE_SHARE = 0.05;

/** What the host saw of the engine's memory before it ended. */
export interface MemorySeen {
  /** Highest resident memory sampled, in bytes (0 when the platform does not tell). */
  peak: number;
  /** The budget the engine reported, in bytes (0 before it answered). */
  budget: number;
  /** Whether the machine was nearly out of memory at a recent sample. */
  machineLow: boolean;
}

/**
 * The error every call the engine was running gets when it ends unexpectedly: OUT_OF_MEMORY
 * for what looks like an out-of-memory kill, else ENGINE_CRASHED naming the signal or code.
 */
export function engineExitError(code: number | null, signal: string | null | undefined, memory: MemorySeen): ErrorData {
  const how = signal ? `killed by ${signal}` : code === null ? 'exited' : `exited with code ${code}`;
  const nearBudget = memory.budget > 0 && memory.peak >= OOM_BUDGET_SHARE * memory.budget;
  if (signal === 'SIGKILL' && (nearBudget || memory.machineLow)) {
    const seen = memory.peak > 0 ? ` at ${formatBytes(memory.peak)}${memory.budget > 0 ? ` of its ${formatBytes(memory.budget)} budget` : ''}` : '';
    return {
      code: 'OUT_OF_MEMORY',
      message:
        `The audio engine ran out of memory (${how}${seen}): the file was too large to render in one piece. ` +
        `Render it in chunks: set a smaller memory budget (${MEMORY_BUDGET_ENV}, or --memory-budget) so it is cut into segments that fit, or select a shorter region. Nothing else was lost.`,
    };
  }
  return { code: 'ENGINE_CRASHED', message: `The audio engine stopped unexpectedly (${how}). Nothing else was lost; you can render again.` };
}

/** Starts a fresh engine process. */
export type EngineLauncher = () => EngineChild;

export interface EngineHostOptions {
  launch: EngineLauncher;
  /** Told every status change (for the UI's engine indicator). */
  onStatus?: (status: EngineStatus) => void;
  /** Told every engine log line. */
  onLog?: (entry: EventData<EngineApi, 'log'>) => void;
  /** Told every render's progress (each event names its job). */
  onProgress?: (progress: RenderProgress) => void;
  /** Told every final stretch of a streaming render's take (each names its job). */
  onChunk?: (chunk: TakeChunk) => void;
  /** First restart delay in ms; doubles with each consecutive failed start. */
  backoffMs?: number;
  /** Longest restart delay in ms. */
  maxBackoffMs?: number;
  /** Consecutive crashes before the engine answered `info` after which the host gives up. */
  maxFailedStarts?: number;
  /** How long a cancelled job may take to stop before its process is killed, in ms. */
  cancelDeadlineMs?: number;
  /** How long a fresh engine may take to answer `info`, in ms. */
  startTimeoutMs?: number;
  /** How often the engine's memory is sampled, in ms. */
  memorySampleMs?: number;
}

type Listener = 'onStatus' | 'onLog' | 'onProgress' | 'onChunk';

/** Note the engine's resident memory and whether the machine is nearly out. */
function sampleMemory(gen: Generation) {
  const rss = gen.child.residentBytes?.() ?? null;
  if (rss !== null) gen.memory.peak = Math.max(gen.memory.peak, rss);
  // A container's limit counts as the machine's: its out-of-memory kill is the same kill.
  const { total, available } = memoryLimits();
  gen.memory.machineLow = available < OOM_AVAILABLE_SHARE * total;
}

type Generation = {
  child: EngineChild;
  rpc: RpcConnection<EngineApi>;
  ready: Promise<void>;
  exited: boolean;
  /** Killed on purpose (a cancel past its deadline): restart without counting a crash. */
  killedOnPurpose: boolean;
  memory: MemorySeen;
};

/** The calls main's handlers make on the engine host (tests may pass a fake). */
export type EngineCalls = Pick<EngineHost, 'status' | 'call' | 'render'>;

/**
 * The engine as a service to main's handlers. Calls made while the engine restarts wait for
 * it; calls made after the host gave up reject with ENGINE_CRASHED.
 */
export class EngineHost {
  private readonly opts: Required<Omit<EngineHostOptions, Listener>> & Pick<EngineHostOptions, Listener>;
  private gen: Generation | null = null;
  private statusValue: EngineStatus = { state: 'starting' };
  private failedStarts = 0;
  private crashes = 0;
  private disposed = false;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private waiters: { resolve: (g: Generation) => void; reject: (e: Error) => void }[] = [];
  private backendName: string | undefined;

  constructor(options: EngineHostOptions) {
    this.opts = {
      backoffMs: 200,
      maxBackoffMs: 10_000,
      maxFailedStarts: 4,
      cancelDeadlineMs: 1000,
      startTimeoutMs: 30_000,
      memorySampleMs: 250,
      ...options,
    };
    this.start();
  }

  /** The engine's current state. */
  get status(): EngineStatus {
    return this.statusValue;
  }

  /** How many times the engine has died under this host. */
  get crashCount(): number {
    return this.crashes;
  }

  private setStatus(s: EngineStatus) {
    this.statusValue = s;
    this.opts.onStatus?.(s);
  }

  private start() {
    if (this.disposed) return;
    this.setStatus({ state: this.crashes ? 'restarting' : 'starting', backend: this.backendName });
    let child: EngineChild;
    try {
      child = this.opts.launch();
    } catch (e) {
      this.onCrash(`could not start: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const rpc = connect(child.port, engineApi);
    const gen: Generation = { child, rpc, exited: false, killedOnPurpose: false, ready: Promise.resolve(), memory: { peak: 0, budget: 0, machineLow: false } };
    this.gen = gen;
    rpc.on('progress', (p) => this.opts.onProgress?.(p));
    rpc.on('chunk', (c) => this.opts.onChunk?.(c));
    rpc.on('log', (l) => this.opts.onLog?.(l));
    const sampler = child.residentBytes ? setInterval(() => sampleMemory(gen), this.opts.memorySampleMs) : undefined;
    sampler?.unref?.();
    child.onExit((code, signal) => {
      gen.exited = true;
      clearInterval(sampler);
      const error = engineExitError(code, signal, gen.memory);
      const why = error.code === 'OUT_OF_MEMORY' ? 'out of memory' : signal ? `killed by ${signal}` : `exited${code === null ? '' : ` with code ${code}`}`;
      // Reject what was in flight before anything can be sent to a new engine.
      rpc.failPending(error);
      rpc.close();
      if (this.gen !== gen) return;
      this.gen = null;
      if (gen.killedOnPurpose) this.restartSoon(0);
      else this.onCrash(why);
    });
    const timeout = new Promise<never>((_, reject) => {
      const t = setTimeout(() => reject(new Error('did not answer in time')), this.opts.startTimeoutMs);
      (t as { unref?: () => void }).unref?.();
    });
    gen.ready = Promise.race([rpc.api.info({}), timeout]).then(
      (info) => {
        if (this.gen !== gen) return;
        this.failedStarts = 0;
        this.backendName = info.defaultBackend;
        gen.memory.budget = info.memoryBudget;
        this.setStatus({ state: this.busy > 0 ? 'busy' : 'ready', backend: info.defaultBackend });
        for (const w of this.waiters.splice(0)) w.resolve(gen);
      },
      () => {
        // No answer: treat as a crash; the exit handler finishes the job.
        if (this.gen === gen && !gen.exited) gen.child.kill();
      },
    );
  }

  private onCrash(why: string) {
    this.crashes++;
    const wasReady = this.statusValue.state === 'ready' || this.statusValue.state === 'busy';
    if (!wasReady) this.failedStarts++;
    if (this.disposed) return;
    if (this.failedStarts >= this.opts.maxFailedStarts) {
      const message = `The audio engine failed to start ${this.failedStarts} times in a row (${why}); restart Gramophone to try again.`;
      this.setStatus({ state: 'failed', message });
      for (const w of this.waiters.splice(0)) w.reject(new GramophoneError('ENGINE_CRASHED', message));
      return;
    }
    this.setStatus({ state: 'crashed', message: `The audio engine stopped (${why}); restarting.` });
    this.restartSoon(Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** this.failedStarts));
  }

  private restartSoon(delayMs: number) {
    if (this.disposed) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.start();
    }, delayMs);
  }

  /** The running engine, once it answers; waiting ends with CANCELLED if `signal` aborts. */
  private async ready(signal?: AbortSignal): Promise<Generation> {
    if (signal?.aborted) throw cancelled();
    if (this.disposed) throw new GramophoneError('ENGINE_CRASHED', 'The audio engine has been shut down.');
    if (this.statusValue.state === 'failed') throw new GramophoneError('ENGINE_CRASHED', this.statusValue.message ?? 'The audio engine is not running.');
    const g = this.gen;
    if (g && (this.statusValue.state === 'ready' || this.statusValue.state === 'busy')) return g;
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      this.waiters.push(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(cancelled());
        },
        { once: true },
      );
    });
  }

  /** Call an engine method; rejects with the engine's error, or ENGINE_CRASHED if it died. */
  async call<M extends MethodName<EngineApi>>(method: M, args: ArgsOf<EngineApi, M>, options: CallOptions = {}): Promise<ResultOf<EngineApi, M>> {
    const g = await this.ready(options.signal);
    const fn = g.rpc.api[method] as (a: ArgsOf<EngineApi, M>, o: CallOptions) => Promise<ResultOf<EngineApi, M>>;
    return fn(args, options);
  }

  /**
   * Render. Progress goes to the host's `onProgress`, tagged with the job's id. Aborting
   * `signal` cancels the job: a render still waiting for the engine is simply not sent; a
   * running one is asked to stop, and if it has not stopped within the cancel deadline the
   * engine is killed (and restarted without counting as a crash). Either way the call
   * rejects with CANCELLED.
   */
  async render(args: ArgsOf<EngineApi, 'render'>, { signal }: CallOptions = {}): Promise<ResultOf<EngineApi, 'render'>> {
    const g = await this.ready(signal);
    this.setBusy(+1);
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      deadline = setTimeout(() => {
        // A job that ignores cancel is stopped the hard way; the restart is not a crash.
        if (this.gen !== g || g.exited) return;
        g.killedOnPurpose = true;
        g.child.kill();
      }, this.opts.cancelDeadlineMs);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await g.rpc.api.render(args, { signal });
    } catch (e) {
      if (signal?.aborted) throw cancelled();
      throw e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(deadline);
      this.setBusy(-1);
    }
  }

  private busy = 0;
  private setBusy(delta: number) {
    this.busy += delta;
    const s = this.statusValue.state;
    if (this.busy > 0 && s === 'ready') this.setStatus({ state: 'busy', backend: this.backendName });
    else if (this.busy === 0 && s === 'busy') this.setStatus({ state: 'ready', backend: this.backendName });
  }

  /** Stop the engine and refuse further calls. */
  dispose() {
    this.disposed = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const g = this.gen;
    this.gen = null;
    g?.rpc.failPending({ code: 'ENGINE_CRASHED', message: 'The audio engine was shut down.' });
    g?.child.kill();
    for (const w of this.waiters.splice(0)) w.reject(new GramophoneError('ENGINE_CRASHED', 'The audio engine was shut down.'));
  }
}
