/**
 * The submitting side of a distributed batch: each job goes into the BullMQ queue with its
 * inputs in the blob store, and its take comes back the same way. Progress arrives through
 * QueueEvents; a poll of every outstanding job's state backs the events up, so nothing is
 * missed across a Redis restart. A job Redis lost (restarted without its data) is
 * submitted again; one that failed in an earlier run is retried; one already finished
 * (by an earlier run of this batch, or another batch with the same recipe) is collected
 * without rendering it again.
 */
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { GramophoneError, cancelled, toErrorData, type Settlers } from '../../common/errors';
import { ENGINE_VERSION } from '../../engine/version';
import { BlobStore, checkBlobSize } from './blob-store';
import {
  CANCEL_CHANNEL,
  KEEP_SECONDS,
  QUEUE_NAME,
  QUEUE_PREFIX,
  QueueProgressSchema,
  QueueResultSchema,
  WORKER_KEY_PATTERN,
  WorkerPresenceSchema,
  parseFailure,
  queueJobId,
  type QueueJob,
} from './queue-protocol';
import { bullConnection, connectRedis, safeUrl } from './redis-connection';
import type { JobListener, JobOutcome, JobRunner, PreparedJob } from './run-batch';

export interface QueueRunnerOptions {
  /** redis://HOST:PORT */
  url: string;
  /** Lines for the person running the batch (Redis lost and back, jobs resubmitted, no workers). */
  onWarning: (line: string) => void;
  /** How often every outstanding job's state is checked, in ms. */
  pollMs?: number;
}

interface Outstanding extends Settlers<JobOutcome> {
  job: PreparedJob;
  data: QueueJob;
  listener: JobListener;
  started: boolean;
  checking: boolean;
  recheck: boolean;
}

const jobOptions = { removeOnComplete: { age: KEEP_SECONDS }, removeOnFail: { age: KEEP_SECONDS } };

/** A runner that renders on `gramophone worker` processes through the queue at `url`. */
export async function queueRunner(opts: QueueRunnerOptions): Promise<JobRunner & { close(): Promise<void> }> {
  const { url, onWarning } = opts;
  const redis: Redis = await connectRedis(url, onWarning);
  const blobs = new BlobStore(redis);
  const queue = new Queue(QUEUE_NAME, { connection: bullConnection(url), prefix: QUEUE_PREFIX });
  const events = new QueueEvents(QUEUE_NAME, { connection: bullConnection(url), prefix: QUEUE_PREFIX });
  // Connection trouble is reported once through `redis` above; BullMQ's copies are noise.
  queue.on('error', () => undefined);
  events.on('error', () => undefined);
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);

  const outstanding = new Map<string, Outstanding>();
  let closed = false;

  const settle = (id: string, outcome: { ok: true; value: JobOutcome } | { ok: false; error: GramophoneError }) => {
    const o = outstanding.get(id);
    if (!o) return;
    outstanding.delete(id);
    if (outcome.ok) o.resolve(outcome.value);
    else o.reject(outcome.error);
  };

  const submit = async (id: string, o: Outstanding) => {
    await blobs.put(o.job.content.bytes, o.job.content.name, o.job.content.sha256);
    await blobs.put(o.job.style.bytes, o.job.style.name, o.job.style.sha256);
    await queue.add('render', o.data, { jobId: id, ...jobOptions });
  };

  const check = async (id: string): Promise<void> => {
    const o = outstanding.get(id);
    if (!o || closed) return;
    if (o.checking) {
      o.recheck = true;
      return;
    }
    o.checking = true;
    try {
      const state = await queue.getJobState(id);
      if (state === 'completed') {
        const bull = await queue.getJob(id);
        const r = QueueResultSchema.safeParse(bull?.returnvalue);
        if (!r.success) {
          settle(id, { ok: false, error: new GramophoneError('INTERNAL', 'A worker returned something that is not a take') });
          return;
        }
        if (!(await blobs.has(r.data.take.sha256))) {
          // The take expired or Redis lost it: render it again rather than fail.
          await bull?.remove().catch(() => undefined);
          await submit(id, o);
          onWarning(`[${o.job.spec.index}] ${o.job.spec.out}: its take was no longer in Redis; submitted again`);
          return;
        }
        const wav = await blobs.get(r.data.take.sha256, o.job.spec.out);
        if (!o.started) o.listener.started(r.data.worker);
        settle(id, { ok: true, value: { wav, metrics: r.data.metrics, warnings: r.data.warnings, worker: r.data.worker } });
      } else if (state === 'failed') {
        const bull = await queue.getJob(id);
        settle(id, { ok: false, error: parseFailure(bull?.failedReason) });
      } else if (state === 'unknown') {
        await submit(id, o);
        onWarning(`[${o.job.spec.index}] ${o.job.spec.out} was no longer in the queue (Redis restarted without its data?); submitted again`);
      }
    } catch (e) {
      // Redis is away: the next poll tries again. Anything else is this job's failure.
      if (!/Connection|ECONNREFUSED|ECONNRESET|closed|EPIPE|LOADING/i.test(toErrorData(e).message)) settle(id, { ok: false, error: new GramophoneError(toErrorData(e).code, toErrorData(e).message) });
    } finally {
      o.checking = false;
      if (o.recheck) {
        o.recheck = false;
        void check(id);
      }
    }
  };

  events.on('progress', ({ jobId, data }) => {
    const o = outstanding.get(jobId);
    const p = QueueProgressSchema.safeParse(data);
    if (!o || !p.success) return;
    const m = p.data;
    if (m.kind === 'started') {
      o.started = true;
      o.listener.started(m.worker);
    } else if (m.kind === 'refused') o.listener.refused(m.worker, m.reason);
    else o.listener.progress({ phase: m.phase, iteration: m.iteration, total: m.total, eta: m.eta });
  });
  events.on('completed', ({ jobId }) => void check(jobId));
  events.on('failed', ({ jobId }) => void check(jobId));

  const poll = setInterval(() => {
    for (const id of outstanding.keys()) void check(id);
  }, opts.pollMs ?? 1000);
  // Say once when no worker of this version is there to take the jobs (and again after one was).
  let saidNoWorkers = false;
  const watchWorkers = setInterval(() => {
    if (!outstanding.size) return;
    void workersOfVersion().then(
      ({ mine, others }) => {
        if (mine === 0 && !saidNoWorkers) {
          const seen = others.length ? ` (connected: ${others.join(', ')})` : '';
          onWarning(`no Gramophone ${ENGINE_VERSION} worker is connected to ${safeUrl(url)}${seen}; start one with: gramophone worker --queue ${safeUrl(url)}`);
        }
        saidNoWorkers = mine === 0;
      },
      () => undefined,
    );
  }, 5000);
  const workersOfVersion = async () => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', WORKER_KEY_PATTERN, 'COUNT', 100);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const values = keys.length ? await redis.mget(...keys) : [];
    let mine = 0;
    const others: string[] = [];
    values.forEach((v, i) => {
      const p = WorkerPresenceSchema.safeParse(v ? JSON.parse(v) : null);
      if (p.success && p.data.version === ENGINE_VERSION) mine++;
      else if (p.success) others.push(`${keys[i].split(':').pop()} runs ${p.data.version}`);
    });
    return { mine, others };
  };

  return {
    description: `workers of the queue at ${safeUrl(url)}`,
    async run(job, listener) {
      checkBlobSize(job.content.name, job.content.bytes.byteLength);
      checkBlobSize(job.style.name, job.style.bytes.byteLength);
      const data: QueueJob = {
        engineVersion: ENGINE_VERSION,
        key: job.key,
        content: { name: job.content.name, sha256: job.content.sha256, size: job.content.bytes.byteLength },
        style: { name: job.style.name, sha256: job.style.sha256, size: job.style.bytes.byteLength },
        preset: job.spec.preset,
        format: job.format,
      };
      const id = queueJobId(job.key, ENGINE_VERSION);
      return new Promise<JobOutcome>((resolve, reject) => {
        const o: Outstanding = { job, data, listener, resolve, reject, started: false, checking: false, recheck: false };
        outstanding.set(id, o);
        void (async () => {
          const existing = await queue.getJob(id);
          if (existing && (await existing.getState()) === 'failed') {
            // A failure from an earlier run (a cancel, a crash): this run retries it.
            await existing.remove();
            await submit(id, o);
          } else if (!existing) {
            await submit(id, o);
          }
          await check(id);
        })().catch((e: unknown) => settle(id, { ok: false, error: new GramophoneError(toErrorData(e).code, toErrorData(e).message) }));
      });
    },
    async cancelAll() {
      const ids = [...outstanding.keys()];
      await Promise.all(
        ids.map(async (id) => {
          try {
            const bull = await queue.getJob(id);
            if (!bull) return;
            if ((await bull.getState()) === 'active') await redis.publish(CANCEL_CHANNEL, id);
            else await bull.remove();
          } catch {
            /* Redis away or the job just finished: nothing left to stop */
          }
        }),
      );
      for (const id of ids) settle(id, { ok: false, error: cancelled('Job') });
    },
    async close() {
      closed = true;
      clearInterval(poll);
      clearInterval(watchWorkers);
      await Promise.allSettled([events.close(), queue.close()]);
      redis.disconnect();
    },
  };
}
