/**
 * What a submitter and a worker agree on when they meet in Redis: the BullMQ queue, the
 * blob store's keys, the job payload (inputs by content hash, the full preset, the output
 * format, the version that made it), the worker's answer, and its progress messages.
 */
import { z } from 'zod';
import { ExportFormatSchema, RENDER_PHASES, TakeMetricsSchema } from '../../common/audio';
import { GramophoneError, isErrorCode, type ErrorData } from '../../common/errors';

/** BullMQ queue name and key prefix: every key Gramophone makes starts with "gramophone:". */
export const QUEUE_NAME = 'renders';
export const QUEUE_PREFIX = 'gramophone';

/** Redis key of a stored file: "gramophone:blob:<sha256>". */
export const blobKey = (sha256: string) => `${QUEUE_PREFIX}:blob:${sha256}`;

/**
 * Largest file the queue carries (an input or a take): 256 MiB, half of Redis's largest
 * string (512 MB), about 25 minutes of 44.1 kHz stereo 24-bit WAV. Redis holds every input
 * and take of a batch in memory at once, so size its maxmemory for them.
 */
export const MAX_BLOB_BYTES = 256 * 1024 * 1024;

/** Stored files, finished jobs and failed jobs are kept this long (a submitter away for a weekend still collects its takes). */
export const KEEP_SECONDS = 7 * 24 * 3600;

/** Pub/sub channel on which a submitter asks workers to stop a job (message: the job id). */
export const CANCEL_CHANNEL = `${QUEUE_PREFIX}:cancel`;

/**
 * A worker's presence: "gramophone:worker:<name>" holds its version and engine count and
 * expires unless renewed, so a submitter can tell that no worker (of its version) is there.
 */
export const workerKey = (name: string) => `${QUEUE_PREFIX}:worker:${name}`;
export const WORKER_KEY_PATTERN = `${QUEUE_PREFIX}:worker:*`;
export const WORKER_HEARTBEAT_SECONDS = 5;
export const WorkerPresenceSchema = z.strictObject({ version: z.string(), processes: z.number().int().positive() });

/**
 * BullMQ job id of a take: the version that made it and its recipe hash (no ":" and never an
 * integer, as BullMQ requires). The same recipe submitted twice is one job.
 */
export const queueJobId = (key: string, version: string) => `take-${version.replace(/[^A-Za-z0-9.+-]/g, '_')}-${key}`;

const sha256 = () => z.string().regex(/^[0-9a-f]{64}$/);
const FileRefSchema = z.strictObject({ name: z.string().min(1).max(255), sha256: sha256(), size: z.number().int().nonnegative().max(MAX_BLOB_BYTES) });

/** A job's data in the queue. The preset is checked by the worker with `migratePreset`. */
export const QueueJobSchema = z.strictObject({
  /** The Gramophone version that made the job: only a worker of the same version renders it, so takes are reproducible. */
  engineVersion: z.string(),
  key: sha256(),
  content: FileRefSchema,
  style: FileRefSchema,
  preset: z.unknown(),
  format: ExportFormatSchema,
});
export type QueueJob = z.infer<typeof QueueJobSchema>;

/** A worker's answer: where the take is, and how it was made. */
export const QueueResultSchema = z.strictObject({
  take: z.strictObject({ sha256: sha256(), size: z.number().int().positive() }),
  metrics: TakeMetricsSchema,
  warnings: z.array(z.string()),
  worker: z.string(),
  engineVersion: z.string(),
});
export type QueueResult = z.infer<typeof QueueResultSchema>;

/** What a worker reports while it has a job (BullMQ job progress). */
export const QueueProgressSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('started'), worker: z.string() }),
  z.strictObject({ kind: z.literal('refused'), worker: z.string(), reason: z.string() }),
  z.strictObject({
    kind: z.literal('progress'),
    phase: z.enum(RENDER_PHASES),
    iteration: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    eta: z.number().nonnegative().optional(),
  }),
]);
export type QueueProgress = z.infer<typeof QueueProgressSchema>;

/**
 * Why a worker of `workerVersion` will not render a job made by `jobVersion`, or null when
 * it will. Only the same version reproduces a take bit for bit.
 */
export function versionRefusal(jobVersion: string, workerVersion: string): string | null {
  if (jobVersion === workerVersion) return null;
  return `this worker runs Gramophone ${workerVersion} and the job was made by ${jobVersion}; only a ${jobVersion} worker reproduces its take exactly`;
}

/** A job's failure as BullMQ stores it (one string): "[CODE] message". */
export const failureText = (e: ErrorData) => `[${e.code}] ${e.message}`;

/** Read a failure back; BullMQ's own reasons (a job that stalled too often) get words a person can act on. */
export function parseFailure(reason: string | undefined): GramophoneError {
  const m = /^\[([A-Z_]+)\] ([\s\S]*)$/.exec(reason ?? '');
  if (m && isErrorCode(m[1])) return new GramophoneError(m[1], m[2]);
  if (/stalled more than allowable limit/i.test(reason ?? '')) {
    return new GramophoneError('ENGINE_CRASHED', 'Workers died (or lost Redis) while rendering this job more often than allowed; re-run the batch to try again');
  }
  return new GramophoneError('INTERNAL', `The queue reports: ${reason || 'failed without a reason'}`);
}
