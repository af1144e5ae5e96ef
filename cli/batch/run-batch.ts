/**
 * A batch from start to finish, wherever its jobs render: read and hash the inputs, skip
 * the jobs whose take is already in the folder with the same recipe, hand the rest to a
 * runner (the local engine pool or the queue), write each take atomically as it arrives,
 * and keep results.jsonl. Cancelling stops every job; finished takes stay, and no partial
 * file is left. A job whose input cannot be read or decoded fails alone.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ExportFormat, TakeMetrics } from '../../common/audio';
import type { BatchEvent, BatchInput, BatchResult, BatchSummary, JobProgress } from '../../common/batch';
import { GramophoneError, toErrorData } from '../../common/errors';
import { writeFileAtomic } from '../../engine/io/atomic-write';
import { readConvertibleInput } from '../../engine/io/audio-file';
import { ENGINE_VERSION } from '../../engine/version';
import { probeAudio } from '../../engine/audio/probe';
import { inputAt } from '../cli-files';
import { jobKey, sha256Hex } from './job-key';
import type { JobSpec } from './jobs';
import { fileMatches, lockFolder, readResults, removeStaleTemporaries, resultsWriter } from './results-file';

/** An input file read and hashed. */
export interface InputFile extends BatchInput {
  bytes: Uint8Array;
}

/** A job ready to render: its inputs in memory and its identity. */
export interface PreparedJob {
  spec: JobSpec;
  /** SHA-256 of the recipe (see job-key.ts). */
  key: string;
  content: InputFile;
  style: InputFile;
  format: ExportFormat;
}

/** A rendered take as a runner hands it back. */
export interface JobOutcome {
  /** The complete WAV file. */
  wav: Uint8Array;
  metrics: TakeMetrics;
  warnings: string[];
  /** Who rendered it, e.g. "local pid 123", "host-a pid 456". */
  worker: string;
}

/** What a runner tells the batch about a job in flight. */
export interface JobListener {
  started(worker: string): void;
  progress(p: JobProgress): void;
  /** A worker would not take the job (another version); it waits for one that will. */
  refused(worker: string, reason: string): void;
}

/** Renders jobs somewhere: local engine processes, or workers behind a queue. */
export interface JobRunner {
  /** For the start line: "2 local engine processes", "queue redis://…". */
  readonly description: string;
  /** Render one job; runs may be started all at once, the runner paces them. */
  run(job: PreparedJob, listener: JobListener): Promise<JobOutcome>;
  /** Stop every job; their runs reject with CANCELLED. */
  cancelAll(): Promise<void>;
}

export interface BatchOptions {
  outDir: string;
  /** A job's output format from its content (throwing fails the job). */
  formatFor: (content: InputFile) => ExportFormat;
  runner: JobRunner;
  emit: (e: BatchEvent) => void;
  /** Aborting cancels the batch. */
  signal?: AbortSignal;
}

async function readInput(file: string, role: string): Promise<InputFile> {
  const { name, bytes } = await readConvertibleInput(file, role);
  return { path: file, name, sha256: sha256Hex(bytes), bytes };
}

const describeInput = ({ path: p, name, sha256 }: InputFile): BatchInput => ({ path: p, name, sha256 });
const now = () => new Date().toISOString();

/**
 * Run a batch into `outDir`.
 * @throws GramophoneError IO_ERROR when the folder cannot be made or is locked by another batch
 */
export async function runBatch(specs: readonly JobSpec[], opts: BatchOptions): Promise<BatchSummary> {
  const t0 = performance.now();
  const { outDir, formatFor, runner, emit } = opts;
  try {
    await mkdir(outDir, { recursive: true });
  } catch (e) {
    throw new GramophoneError('IO_ERROR', `Cannot make the output folder ${outDir}: ${(e as Error).message}`);
  }
  const unlock = await lockFolder(outDir);
  try {
    await removeStaleTemporaries(outDir);
    const previous = await readResults(outDir);
    const append = resultsWriter(outDir);
    const summary: BatchSummary = { done: 0, failed: 0, skipped: 0, cancelled: 0, seconds: 0, failedJobs: [] };

    // Each distinct input is read and hashed once, however many jobs use it.
    const inputs = new Map<string, Promise<InputFile>>();
    const input = (file: string, role: string) => {
      let p = inputs.get(file);
      if (!p) {
        p = readInput(file, role);
        p.catch(() => undefined);
        inputs.set(file, p);
      }
      return p;
    };

    const fail = async (spec: JobSpec, e: unknown, record: Omit<BatchResult, 'index' | 'out' | 'status' | 'finishedAt' | 'engineVersion'> | null) => {
      const error = toErrorData(e);
      summary.failed++;
      summary.failedJobs.push({ index: spec.index, out: spec.out, error });
      emit({ event: 'job-failed', index: spec.index, out: spec.out, error });
      if (record) await append({ index: spec.index, out: spec.out, status: 'failed', ...record, error, engineVersion: ENGINE_VERSION, finishedAt: now() }).catch(() => undefined);
    };

    // Prepare every job; the ones already done are skipped.
    const toRun: PreparedJob[] = [];
    for (const spec of specs) {
      let content: InputFile;
      let style: InputFile;
      let format: ExportFormat;
      try {
        [content, style] = await Promise.all([input(spec.content, 'content'), input(spec.style, 'style')]);
        // The same rule as render's --out: a take never replaces one of its inputs.
        const overwritten = await inputAt(path.join(outDir, spec.out), [spec.content, spec.style]);
        if (overwritten !== null)
          throw new GramophoneError('INVALID_INPUT', `the output "${spec.out}" is the input "${overwritten}"; writing the take there would destroy it. Choose another output name`);
        // Both inputs are checked as audio here, before any of them leaves the machine (a queue uploads them).
        probeAudio(style.bytes, style.name);
        format = formatFor(content);
      } catch (e) {
        await fail(spec, e, null);
        continue;
      }
      const key = jobKey({ preset: spec.preset, content: { name: content.name, sha256: content.sha256 }, style: { name: style.name, sha256: style.sha256 }, format });
      const before = previous.get(spec.out);
      if (before?.status === 'done' && before.key === key && (await fileMatches(path.join(outDir, spec.out), before.outSha256))) {
        summary.skipped++;
        emit({ event: 'job-skipped', index: spec.index, out: spec.out });
        continue;
      }
      toRun.push({ spec, key, content, style, format });
    }
    emit({ event: 'batch-start', jobs: specs.length, toRun: toRun.length, skipped: summary.skipped, runner: runner.description, out: outDir });

    let cancelling = false;
    const onAbort = () => {
      cancelling = true;
      void runner.cancelAll();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });

    // Jobs with the same recipe (the same take under two names) render once.
    const groups = new Map<string, PreparedJob[]>();
    for (const job of toRun) groups.set(job.key, [...(groups.get(job.key) ?? []), job]);

    await Promise.all(
      [...groups.values()].map(async (group) => {
        const [first] = group;
        let startedAt: string | undefined;
        let waited = 0;
        const listener: JobListener = {
          started(worker) {
            startedAt = now();
            waited = (performance.now() - t0) / 1000;
            for (const j of group) {
              emit({ event: 'job-start', index: j.spec.index, out: j.spec.out, worker });
            }
          },
          progress(p) {
            for (const j of group) emit({ event: 'job-progress', index: j.spec.index, ...p });
          },
          refused(worker, reason) {
            for (const j of group) emit({ event: 'job-refused', index: j.spec.index, out: j.spec.out, worker, reason });
          },
        };
        const record = (j: PreparedJob) => ({ key: j.key, content: describeInput(j.content), style: describeInput(j.style), preset: j.spec.preset, format: j.format, startedAt });
        let outcome: JobOutcome;
        try {
          if (cancelling) throw new GramophoneError('CANCELLED', 'Batch cancelled');
          outcome = await runner.run(first, listener);
        } catch (e) {
          const err = toErrorData(e);
          if (err.code === 'CANCELLED' && cancelling) {
            summary.cancelled += group.length;
            return;
          }
          for (const j of group) await fail(j.spec, e, record(j));
          return;
        }
        const outSha256 = sha256Hex(outcome.wav);
        for (const j of group) {
          const target = path.join(outDir, j.spec.out);
          const line: BatchResult = {
            index: j.spec.index,
            out: j.spec.out,
            status: 'done',
            ...record(j),
            outSha256,
            metrics: outcome.metrics,
            warnings: outcome.warnings,
            engineVersion: ENGINE_VERSION,
            worker: outcome.worker,
            finishedAt: now(),
            seconds: { wait: waited, render: outcome.metrics.seconds.total },
          };
          try {
            // The line goes first: a batch killed between the two re-renders a take it never saved,
            // and a take on disk always has its line.
            await append(line);
            await writeFileAtomic(target, outcome.wav);
          } catch (e) {
            await fail(j.spec, e, record(j));
            continue;
          }
          summary.done++;
          emit({ event: 'job-done', index: j.spec.index, out: j.spec.out, worker: outcome.worker, seconds: outcome.metrics.seconds.total, metrics: outcome.metrics });
        }
      }),
    );
    opts.signal?.removeEventListener('abort', onAbort);
    summary.seconds = (performance.now() - t0) / 1000;
    emit({ event: 'batch-done', ...summary });
    return summary;
  } finally {
    await unlock();
  }
}
