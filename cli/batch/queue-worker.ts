/**
 * `gramophone worker`: takes render jobs from the BullMQ queue, renders each on a pool of
 * engine processes on this machine and puts the take back in the blob store. It needs no
 * shared file system: inputs come out of Redis by content hash. It renders only jobs made
 * by its own version (so a take is reproducible bit for bit) and hands others back. While a
 * job renders its lock is renewed from this process, whose event loop the engine processes
 * leave free; if the process dies, the lock lapses after the stall timeout and BullMQ gives
 * the job to another worker.
 */
import { hostname } from 'node:os';
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RenderPhase } from '../../common/audio';
import { toErrorData, type ErrorData } from '../../common/errors';
import { migratePreset, type Preset } from '../../common/preset';
import { ENGINE_VERSION } from '../../engine/version';
import { BlobStore } from './blob-store';
import type { EnginePool } from './engine-pool';
import { CANCEL_CHANNEL, QUEUE_NAME, QUEUE_PREFIX, QueueJobSchema, WORKER_HEARTBEAT_SECONDS, failureText, versionRefusal, workerKey, type QueueProgress, type QueueResult } from './queue-protocol';
import { bullConnection, connectRedis, safeUrl } from './redis-connection';
import { takeFile } from './take-file';

/** What a worker says about itself (`--json` prints one per line). */
export type WorkerEvent =
  | { event: 'worker-ready'; worker: string; version: string; processes: number; queue: string }
  | { event: 'job-start'; job: string; content: string; style: string }
  | { event: 'job-done'; job: string; seconds: number }
  | { event: 'job-failed'; job: string; error: ErrorData }
  | { event: 'job-refused'; job: string; reason: string }
  | { event: 'warning'; message: string }
  | { event: 'worker-stopped'; worker: string };

export interface QueueWorkerOptions {
  url: string;
  pool: EnginePool;
  /** Seconds without a lock renewal after which a job counts as stalled and goes to another worker. */
  stallTimeout: number;
  emit: (e: WorkerEvent) => void;
}

/** How long a job this worker refused waits before any worker may take it again, in ms. */
const REFUSED_DELAY_MS = 5000;
/** Most progress messages a job sends per second (phase changes always go). */
const PROGRESS_PER_SECOND = 4;

/** A running worker: `close` stops taking jobs, lets running ones finish, then disconnects. */
export interface QueueWorker {
  readonly name: string;
  close(): Promise<void>;
}

/** Connect to the queue at `url` and start taking jobs. @throws GramophoneError IO_ERROR when Redis cannot be reached */
export async function startQueueWorker(opts: QueueWorkerOptions): Promise<QueueWorker> {
  const { url, pool, emit } = opts;
  const name = `${hostname()}/${process.pid}`;
  const warn = (message: string) => emit({ event: 'warning', message });
  const redis: Redis = await connectRedis(url, warn);
  const blobs = new BlobStore(redis);
  const short = (id: string | undefined) => (id ?? '?').replace(/^take-(.*-)?([0-9a-f]{12})[0-9a-f]*$/, '$2');

  const processor = async (job: Job, token?: string, signal?: AbortSignal): Promise<QueueResult> => {
    const id = short(job.id);
    const fail = (e: unknown): never => {
      const error = toErrorData(e);
      emit({ event: 'job-failed', job: id, error });
      // Render failures are the job's own (a bad input, a preset the engine refuses): final.
      throw new Error(failureText(error));
    };
    const parsed = QueueJobSchema.safeParse(job.data);
    if (!parsed.success) return fail({ code: 'INVALID_INPUT', message: 'this is not a Gramophone render job' });
    const data = parsed.data;
    const refusal = versionRefusal(data.engineVersion, ENGINE_VERSION);
    if (refusal) {
      emit({ event: 'job-refused', job: id, reason: refusal });
      await job.updateProgress({ kind: 'refused', worker: name, reason: refusal } satisfies QueueProgress);
      await job.moveToDelayed(Date.now() + REFUSED_DELAY_MS, token);
      throw new DelayedError();
    }
    let preset: Preset;
    try {
      preset = migratePreset(data.preset);
    } catch (e) {
      return fail({ code: 'INVALID_INPUT', message: `the job's preset is not valid: ${(e as Error).message}` });
    }
    emit({ event: 'job-start', job: id, content: data.content.name, style: data.style.name });
    await job.updateProgress({ kind: 'started', worker: name } satisfies QueueProgress);
    const engineJobId = `q${data.key.slice(0, 40)}`;
    try {
      const [content, style] = await Promise.all([blobs.get(data.content.sha256, data.content.name), blobs.get(data.style.sha256, data.style.name)]);
      let lastSent = 0;
      let lastPhase: RenderPhase | undefined;
      const request = { jobId: engineJobId, content: { name: data.content.name, bytes: content }, style: { name: data.style.name, bytes: style }, preset };
      // BullMQ's signal aborts when the submitter cancels the job (see CANCEL_CHANNEL).
      const take = await pool.render(request, {
        signal,
        onProgress: (p) => {
          const t = performance.now();
          if (p.phase === lastPhase && t - lastSent < 1000 / PROGRESS_PER_SECOND) return;
          lastSent = t;
          lastPhase = p.phase;
          const msg: QueueProgress = { kind: 'progress', phase: p.phase, iteration: p.iteration, total: p.total, ...(p.eta !== undefined ? { eta: p.eta } : {}) };
          job.updateProgress(msg).catch(() => undefined);
        },
      });
      const wav = takeFile(take, data.content.name, data.style.name, data.format);
      const sha256 = await blobs.put(wav, `take of ${data.content.name} × ${data.style.name}`);
      emit({ event: 'job-done', job: id, seconds: take.metrics.seconds.total });
      return { take: { sha256, size: wav.byteLength }, metrics: take.metrics, warnings: take.warnings, worker: name, engineVersion: ENGINE_VERSION };
    } catch (e) {
      return fail(e);
    }
  };

  const worker = new Worker(QUEUE_NAME, processor, {
    connection: bullConnection(url),
    prefix: QUEUE_PREFIX,
    name,
    concurrency: pool.size,
    lockDuration: opts.stallTimeout * 1000,
    stalledInterval: opts.stallTimeout * 1000,
    // A job may outlive two workers dying under it before it is failed.
    maxStalledCount: 2,
  });
  // Connection trouble is said once through `redis`; BullMQ's own copies would repeat it.
  worker.on('error', (e) => {
    if (!/ECONNREFUSED|ECONNRESET|Connection is closed|EPIPE/.test(e.message)) warn(`queue: ${e.message}`);
  });
  const subscriber = redis.duplicate();
  await subscriber.subscribe(CANCEL_CHANNEL);
  subscriber.on('message', (_channel: string, jobId: string) => {
    worker.cancelJob(jobId, 'cancelled by the batch that submitted it');
  });
  await worker.waitUntilReady();
  const presence = JSON.stringify({ version: ENGINE_VERSION, processes: pool.size });
  const beat = () => redis.set(workerKey(name), presence, 'EX', 3 * WORKER_HEARTBEAT_SECONDS).catch(() => undefined);
  await beat();
  const heartbeat = setInterval(beat, WORKER_HEARTBEAT_SECONDS * 1000);
  emit({ event: 'worker-ready', worker: name, version: ENGINE_VERSION, processes: pool.size, queue: safeUrl(url) });

  return {
    name,
    async close() {
      clearInterval(heartbeat);
      await redis.del(workerKey(name)).catch(() => undefined);
      await worker.close();
      await pool.close();
      subscriber.disconnect();
      redis.disconnect();
      emit({ event: 'worker-stopped', worker: name });
    },
  };
}
