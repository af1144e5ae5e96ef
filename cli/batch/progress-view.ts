/**
 * What a person sees of a batch: on a terminal, a bar for the whole batch (done, failed,
 * left, ETA) above one line per running job, redrawn in place; elsewhere, one line per job
 * start and end; with --json, every event as a JSON line plus a `batch-progress` line
 * after each job. The counting is one small state machine, `BatchTracker`.
 */
import type { BatchEvent, JobProgress } from '../../common/batch';

/** Fraction of a render done, from its phase: the optimiser is most of the time. */
export function jobFraction(p: JobProgress | undefined): number {
  if (!p) return 0;
  const part = p.total > 0 ? Math.min(1, p.iteration / p.total) : 0;
  switch (p.phase) {
    case 'decode':
    case 'analyse':
      return 0;
    case 'optimise':
      return 0.85 * part;
    case 'reconstruct':
      return 0.85 + 0.14 * part;
    case 'encode':
      return 0.99;
  }
}

/**
 * Seconds left in a batch, from the work done so far per second of batch time (running
 * jobs count by their fraction). Undefined until there is something to go on.
 * @param elapsed seconds since the batch started rendering
 * @param finished jobs done or failed in this run
 * @param queued jobs not started
 * @param running fraction done of each running job, 0..1
 */
export function batchEta(elapsed: number, finished: number, queued: number, running: readonly number[]): number | undefined {
  const partial = running.reduce((a, b) => a + b, 0);
  const completed = finished + partial;
  if (completed < 0.02 || elapsed <= 0) return undefined;
  const left = queued + running.length - partial;
  return left / (completed / elapsed);
}

interface Running {
  out: string;
  worker: string;
  progress?: JobProgress;
}

/** The batch's counts, fed with its events. */
export class BatchTracker {
  /** From batch-start: jobs in the batch, to render in this run, and skipped as already done. */
  total = 0;
  toRun = 0;
  skipped = 0;
  done = 0;
  /** Failed while rendering, and before the run started (an input that cannot be read). */
  failedInRun = 0;
  failedEarly = 0;
  readonly running = new Map<number, Running>();
  private startedAt: number | undefined;

  constructor(private readonly clock: () => number = () => performance.now() / 1000) {}

  apply(e: BatchEvent): void {
    switch (e.event) {
      case 'batch-start':
        this.total = e.jobs;
        this.toRun = e.toRun;
        this.skipped = e.skipped;
        this.startedAt = this.clock();
        break;
      case 'job-start':
        this.running.set(e.index, { out: e.out, worker: e.worker });
        break;
      case 'job-progress': {
        const r = this.running.get(e.index);
        if (r) r.progress = { phase: e.phase, iteration: e.iteration, total: e.total, eta: e.eta };
        break;
      }
      case 'job-done':
        this.running.delete(e.index);
        this.done++;
        break;
      case 'job-failed':
        this.running.delete(e.index);
        if (this.startedAt === undefined) this.failedEarly++;
        else this.failedInRun++;
        break;
    }
  }

  get failed(): number {
    return this.failedEarly + this.failedInRun;
  }

  /** Jobs of this run finished, done or failed. */
  get finished(): number {
    return this.done + this.failedInRun;
  }

  /** Jobs of this run not finished (queued or running). */
  get remaining(): number {
    return Math.max(0, this.toRun - this.finished);
  }

  eta(): number | undefined {
    if (this.startedAt === undefined) return undefined;
    const running = [...this.running.values()].map((r) => jobFraction(r.progress));
    const queued = Math.max(0, this.remaining - running.length);
    return batchEta(this.clock() - this.startedAt, this.finished, queued, running);
  }
}

/** "1h02m", "3m05s", "42s". */
export function formatDuration(s: number): string {
  const t = Math.max(0, Math.round(s));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

const bar = (fraction: number, width: number) => {
  const n = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return '█'.repeat(n) + '░'.repeat(width - n);
};

export interface BatchView {
  event(e: BatchEvent): void;
  /** Stop redrawing (the batch is over). */
  close(): void;
}

/** One JSON line per event on `write`, and a batch-progress line after each finished job. */
export function jsonView(write: (line: string) => void): BatchView {
  const t = new BatchTracker();
  return {
    event(e) {
      t.apply(e);
      write(JSON.stringify(e));
      if ((e.event === 'job-done' || e.event === 'job-failed') && t.toRun) {
        const eta = t.eta();
        write(JSON.stringify({ event: 'batch-progress', done: t.done, failed: t.failed, remaining: t.remaining, running: t.running.size, ...(eta !== undefined ? { eta } : {}) } satisfies BatchEvent));
      }
    },
    close() {},
  };
}

/** The line a person reads for an event; none for progress, which only a live display shows. */
function eventLine(e: BatchEvent, t: BatchTracker): string | undefined {
  switch (e.event) {
    case 'batch-start':
      return `Batch of ${e.jobs} jobs into ${e.out}: ${e.toRun} to render on ${e.runner}${e.skipped ? `, ${e.skipped} already done` : ''}`;
    case 'job-start':
      return `[${e.index}] ${e.out} started (${e.worker})`;
    case 'job-done':
      return `[${e.index}] ${e.out} done in ${e.seconds.toFixed(1)} s (${e.worker}) · ${t.done} done, ${t.failed} failed, ${t.remaining} left`;
    case 'job-failed':
      return `[${e.index}] ${e.out} FAILED: ${e.error.message}`;
    case 'job-refused':
      return `[${e.index}] ${e.out} refused by ${e.worker}: ${e.reason}`;
    case 'warning':
      return `warning: ${e.message}`;
    case 'batch-done':
      return summaryLine(e);
    default:
      return undefined;
  }
}

/** Lines for a log or a pipe: one per start, end, refusal and warning. */
export function plainView(write: (line: string) => void): BatchView {
  const t = new BatchTracker();
  return {
    event(e) {
      t.apply(e);
      const line = eventLine(e, t);
      if (line !== undefined) write(line);
    },
    close() {},
  };
}

/** The last line of a batch, saying what to do about failures. */
export function summaryLine(e: Extract<BatchEvent, { event: 'batch-done' }>): string {
  const parts = [`${e.done} done`, `${e.failed} failed`];
  if (e.skipped) parts.push(`${e.skipped} already done`);
  if (e.cancelled) parts.push(`${e.cancelled} cancelled`);
  let s = `Batch finished in ${formatDuration(e.seconds)}: ${parts.join(', ')}`;
  if (e.failed || e.cancelled) s += '. Run the same command again to retry the failed and cancelled jobs (finished ones are skipped).';
  for (const f of e.failedJobs.slice(0, 20)) s += `\n  [${f.index}] ${f.out}: ${f.error.message}`;
  return s;
}

/**
 * A live block on a terminal: finished jobs scroll above it, the block (batch bar and one
 * line per running job) is redrawn in place at most every 100 ms.
 */
export function terminalView(stream: { write(s: string): unknown; columns?: number }): BatchView {
  const t = new BatchTracker();
  let drawn = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const width = () => Math.max(40, (stream.columns ?? 100) - 1);
  const clip = (s: string) => (s.length > width() ? s.slice(0, width() - 1) + '…' : s);
  const block = (): string[] => {
    const eta = t.eta();
    const head = `batch ${bar(t.toRun ? t.finished / t.toRun : 1, 24)} ${t.finished}/${t.toRun} · ${t.done} done · ${t.failed} failed · ${t.remaining} left${eta !== undefined ? ` · ETA ${formatDuration(eta)}` : ''}`;
    const lines = [head];
    for (const [index, r] of [...t.running.entries()].sort((a, b) => a[0] - b[0])) {
      const p = r.progress;
      const count = p && p.total > 0 ? ` ${p.iteration}/${p.total}` : '';
      const jobEta = p?.eta !== undefined ? ` ETA ${formatDuration(p.eta)}` : '';
      lines.push(`  [${index}] ${r.out.padEnd(28).slice(0, 28)} ${(p?.phase ?? 'waiting').padEnd(11)} ${bar(jobFraction(p), 12)}${count}${jobEta} (${r.worker})`);
    }
    return lines.map(clip);
  };
  const erase = () => {
    if (drawn) stream.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  const draw = () => {
    timer = undefined;
    erase();
    const lines = block();
    stream.write(lines.join('\n') + '\n');
    drawn = lines.length;
  };
  const schedule = () => {
    timer ??= setTimeout(draw, 100);
  };
  const above = (line: string) => {
    erase();
    stream.write(line + '\n');
    schedule();
  };
  return {
    event(e) {
      t.apply(e);
      if (e.event === 'batch-done') {
        if (timer) clearTimeout(timer);
        timer = undefined;
        erase();
        stream.write(summaryLine(e) + '\n');
        return;
      }
      // A job's start and progress live in the block; everything else scrolls above it.
      const line = e.event === 'job-start' ? undefined : eventLine(e, t);
      if (line === undefined) schedule();
      else above(clip(line));
    },
    close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
