/**
 * `gramophone batch`: jobs from a manifest or a grid, rendered on a local pool of engine
 * processes or through a BullMQ queue, into one folder. Ctrl-C cancels (a second Ctrl-C
 * stops at once); exit code 0 when every job is done, 1 when some failed, 130 when cancelled.
 */
import path from 'node:path';
import type { BatchEvent } from '../../common/batch';
import { GramophoneError } from '../../common/errors';
import { DEFAULT_PRESET_NAME } from '../../common/preset';
import type { CliOptions } from '../cli-args';
import type { PresetOverrides } from '../preset-choice';
import { EnginePool, defaultProcesses } from './engine-pool';
import { gridJobs } from './grid';
import type { JobSpec } from './jobs';
import { localRunner } from './local-runner';
import { readManifest } from './manifest';
import { jsonView, plainView, terminalView, type BatchView } from './progress-view';
import { runBatch, type InputFile, type JobRunner } from './run-batch';
import { exportFormat } from './take-file';
import { probeAudio } from '../../engine/audio/probe';
import { queueRunner } from './queue-runner';
import { startQueueWorker, type WorkerEvent } from './queue-worker';

/** Seconds a worker's job may go without a lock renewal before another worker takes it (BullMQ's default lock). */
export const DEFAULT_STALL_TIMEOUT = 30;

const bad = (m: string) => new GramophoneError('INVALID_INPUT', m);

/** The jobs the options describe. @throws GramophoneError INVALID_INPUT for a bad manifest or grid */
async function batchJobs(o: CliOptions): Promise<JobSpec[]> {
  const sweep = o.sweep ?? {};
  if (o.manifest) {
    if (o.contents?.length || o.styles?.length) throw bad('Give either --manifest or --content/--style, not both');
    const lists = Object.entries(sweep)
      .filter(([, l]) => l.length > 1)
      .map(([k]) => k);
    if (lists.length) throw bad(`Lists of values (${lists.join(', ')}) make a grid; with --manifest give one value or put them in the manifest`);
    const overrides: PresetOverrides = { weights: o.weights, seed: o.seed, iterations: o.iterations, backend: o.backend };
    return readManifest(o.manifest, { preset: o.preset, presetFile: o.presetFile && path.resolve(o.presetFile), overrides }, DEFAULT_PRESET_NAME);
  }
  return gridJobs({
    contents: o.contents ?? [],
    styles: o.styles ?? [],
    presets: sweep.preset ?? [],
    presetFiles: sweep.presetFile ?? [],
    sweep: { weights: sweep.weights, seed: sweep.seed },
    overrides: { ...(o.iterations !== undefined ? { iterations: o.iterations } : {}), ...(o.backend ? { backend: o.backend } : {}) },
    defaultPreset: DEFAULT_PRESET_NAME,
  });
}

/** The progress display for these options. */
function batchView(o: CliOptions): BatchView {
  if (o.json) return jsonView((l) => process.stdout.write(l + '\n'));
  if (process.stderr.isTTY) return terminalView(process.stderr);
  return plainView((l) => process.stderr.write(l + '\n'));
}

/**
 * Stop on the first Ctrl-C (or SIGTERM) through `controller`; a second Ctrl-C exits at once.
 * @returns a function that removes the handlers
 */
function cancelOnSignals(controller: AbortController, onForce: () => void): () => void {
  const handler = () => {
    if (controller.signal.aborted) onForce();
    else controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/** Run `gramophone batch`; returns the exit code. */
export async function batchCommand(o: CliOptions): Promise<number> {
  if (!o.out) throw bad('batch needs --out FOLDER for the takes and results.jsonl');
  if (o.stallTimeout !== undefined) throw bad('--stall-timeout is a worker option');
  if (o.region) throw bad('--region is for render; a batch renders whole files');
  const specs = await batchJobs(o);
  const view = batchView(o);
  const warned = new Set<string>();
  const emit = (e: BatchEvent) => {
    if (e.event === 'warning') {
      if (warned.has(e.message)) return;
      warned.add(e.message);
    }
    view.event(e);
  };
  // Like `render`: what the options leave out follows each job's content file.
  const formatFor = (content: InputFile) => exportFormat(o, probeAudio(content.bytes, content.name));
  let runner: JobRunner & { close(): Promise<void> };
  if (o.queue) {
    if (o.processes !== undefined || o.device) throw bad('--processes and --device set up a local pool; with --queue each worker chooses its own');
    runner = await queueRunner({ url: o.queue, onWarning: (message) => emit({ event: 'warning', message }) });
  } else {
    const pool = new EnginePool({ processes: o.processes ?? defaultProcesses(), device: o.device, onLog: (message) => emit({ event: 'warning', message }) });
    runner = { ...localRunner(pool), close: () => pool.close() };
  }
  const controller = new AbortController();
  const off = cancelOnSignals(controller, () => {
    process.stderr.write('\nStopping now.\n');
    void runner.close().finally(() => process.exit(130));
  });
  try {
    const summary = await runBatch(specs, { outDir: path.resolve(o.out), formatFor, runner, emit, signal: controller.signal });
    if (summary.cancelled || controller.signal.aborted) return 130;
    return summary.failed ? 1 : 0;
  } finally {
    off();
    view.close();
    await runner.close();
  }
}

/** One line for a worker event on a terminal or log. */
function workerLine(e: WorkerEvent): string {
  switch (e.event) {
    case 'worker-ready':
      return `Worker ${e.worker} (Gramophone ${e.version}, ${e.processes} engine ${e.processes === 1 ? 'process' : 'processes'}) is taking jobs from ${e.queue}; Ctrl-C stops it`;
    case 'job-start':
      return `[${e.job}] ${e.content} × ${e.style} started`;
    case 'job-done':
      return `[${e.job}] done in ${e.seconds.toFixed(1)} s`;
    case 'job-failed':
      return `[${e.job}] FAILED: ${e.error.message}`;
    case 'job-refused':
      return `[${e.job}] refused: ${e.reason}`;
    case 'warning':
      return `warning: ${e.message}`;
    case 'worker-stopped':
      return `Worker ${e.worker} stopped`;
  }
}

/** Run `gramophone worker` until Ctrl-C; returns the exit code. */
export async function workerCommand(o: CliOptions): Promise<number> {
  if (!o.queue) throw bad('worker needs --queue redis://HOST:PORT');
  const jobOptions = o.manifest || o.contents?.length || o.styles?.length || o.out || o.preset || o.presetFile;
  if (jobOptions) throw bad('A worker takes its jobs, inputs and presets from the queue: give it only --queue, --processes, --device and --stall-timeout');
  const emit = (e: WorkerEvent) => (o.json ? process.stdout.write(JSON.stringify(e) + '\n') : process.stderr.write(workerLine(e) + '\n'));
  const pool = new EnginePool({ processes: o.processes ?? defaultProcesses(), device: o.device, onLog: (message) => emit({ event: 'warning', message }) });
  let worker;
  try {
    worker = await startQueueWorker({ url: o.queue, pool, stallTimeout: o.stallTimeout ?? DEFAULT_STALL_TIMEOUT, emit });
  } catch (e) {
    await pool.close();
    throw e;
  }
  const controller = new AbortController();
  const stopped = new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve(), { once: true }));
  const off = cancelOnSignals(controller, () => {
    // Jobs left running now stall and go to another worker once their lock lapses.
    process.stderr.write('Stopping now; running jobs go back to the queue.\n');
    process.exit(130);
  });
  await stopped;
  if (!o.json) process.stderr.write('Finishing the running jobs (Ctrl-C again to stop now)…\n');
  try {
    await worker.close();
  } finally {
    off();
  }
  return 0;
}
