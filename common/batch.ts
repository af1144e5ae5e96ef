/**
 * Batch rendering as seen from outside the engine: one line of the results file per
 * finished job, and the events `gramophone batch --json` prints (a Batch panel reads the
 * same). A results line carries everything needed to say how a take was made.
 */
import { z } from 'zod';
import { ExportFormatSchema, TakeMetricsSchema, type RenderPhase, type TakeMetrics } from './audio';
import type { ErrorData } from './errors';

/** Name of the results file inside a batch's output folder (JSON lines, appended). */
export const RESULTS_FILE = 'results.jsonl';

const sha256 = () => z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in hex');

/** An input file of a job: where it was read, its name, and the hash of its bytes. */
const BatchInputSchema = z.strictObject({ path: z.string(), name: z.string(), sha256: sha256() });
export type BatchInput = z.infer<typeof BatchInputSchema>;

const JOB_STATUSES = ['done', 'failed'] as const;

/**
 * One line of results.jsonl. The last line for an output wins. Lines are read back only to
 * resume, by `key` and `outSha256`; `preset` is kept as written (older lines may hold older
 * preset versions).
 */
export const BatchResultSchema = z.object({
  /** 1-based position of the job in its batch. */
  index: z.number().int().positive(),
  /** Output file name inside the batch folder. */
  out: z.string(),
  status: z.enum(JOB_STATUSES),
  /** SHA-256 of the canonical JSON of preset + inputs (names and hashes) + output format: the take's identity. */
  key: sha256(),
  content: BatchInputSchema,
  style: BatchInputSchema,
  preset: z.unknown(),
  format: ExportFormatSchema,
  /** SHA-256 of the written file (done jobs). */
  outSha256: sha256().optional(),
  metrics: TakeMetricsSchema.optional(),
  warnings: z.array(z.string()).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  engineVersion: z.string(),
  /** Who rendered it: "local pid 123" or a queue worker's "host pid 456". */
  worker: z.string().optional(),
  /** ISO 8601 times. */
  startedAt: z.string().optional(),
  finishedAt: z.string(),
  /** Seconds waiting for an engine and rendering (the engine's own total). */
  seconds: z.object({ wait: z.number(), render: z.number() }).optional(),
});
export type BatchResult = z.infer<typeof BatchResultSchema>;

/** What a job is doing right now, as the progress display shows it. */
export interface JobProgress {
  phase: RenderPhase;
  iteration: number;
  total: number;
  /** Seconds left in this job, when the engine has an estimate. */
  eta?: number;
}

/** How a batch ended. */
export interface BatchSummary {
  done: number;
  failed: number;
  skipped: number;
  cancelled: number;
  seconds: number;
  /** Jobs to look at and re-run: the same command retries exactly these (and any cancelled). */
  failedJobs: { index: number; out: string; error: ErrorData }[];
}

/** One event of a batch (`--json` prints one per line). `index` is the job's 1-based position. */
export type BatchEvent =
  | { event: 'batch-start'; jobs: number; toRun: number; skipped: number; runner: string; out: string }
  | { event: 'job-skipped'; index: number; out: string }
  | { event: 'job-start'; index: number; out: string; worker: string }
  | ({ event: 'job-progress'; index: number } & JobProgress)
  | { event: 'job-refused'; index: number; out: string; worker: string; reason: string }
  | { event: 'job-done'; index: number; out: string; worker: string; seconds: number; metrics: TakeMetrics }
  | { event: 'job-failed'; index: number; out: string; error: ErrorData }
  | { event: 'batch-progress'; done: number; failed: number; remaining: number; running: number; eta?: number }
  | { event: 'warning'; message: string }
  | ({ event: 'batch-done' } & BatchSummary);

/**
 * The last valid line for each output of a results file's text (`results.jsonl`), and how
 * many lines were not results: a line cut short by a killed batch, or anything else
 * unreadable, is counted and passed over.
 * @returns the results keyed by their `out`, in the order each output first appeared
 */
export function parseResultLines(text: string): { byOut: Map<string, BatchResult>; unreadable: number } {
  const byOut = new Map<string, BatchResult>();
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch {
      unreadable++;
      continue;
    }
    const r = BatchResultSchema.safeParse(doc);
    if (r.success) byOut.set(r.data.out, r.data);
    else unreadable++;
  }
  return { byOut, unreadable };
}
