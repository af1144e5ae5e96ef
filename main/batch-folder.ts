/**
 * Reads a batch folder made by the command line's `gramophone batch` (its `results.jsonl`
 * and the takes beside it) so the workstation opens it as a grid of takes. Only what the
 * results file lists as done is read, each file by its plain name inside the folder; a line
 * that cannot be used, or a take whose file is missing or unreadable, is left out with a
 * notice saying why.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { RESULTS_FILE, parseResultLines, type BatchResult } from '../common/batch';
import { GramophoneError } from '../common/errors';
import { migratePreset, type Preset } from '../common/preset';
import type { AudioInfo, TakeMetrics } from '../common/audio';
import { formatBytes } from '../common/units';

/** Largest results file read (a batch of thousands of jobs is a few MiB). */
const MAX_RESULTS_BYTES = 32 * 1024 * 1024;
/** Largest take file read. */
const MAX_TAKE_BYTES = 1024 * 1024 * 1024;

/** One take of a batch folder, read and decoded. */
export interface BatchTake {
  /** The output's file name without its extension: what the CLI named it by. */
  label: string;
  preset: Preset;
  metrics: TakeMetrics;
  warnings: string[];
  contentName: string;
  styleName: string;
  info: AudioInfo;
  /** Mono samples at `info.sampleRate` (the first channel). */
  samples: Float32Array;
}

/** Decodes a file's bytes (the engine's `decode`). */
export type DecodeFile = (name: string, bytes: Uint8Array) => Promise<{ info: AudioInfo; channels: Float32Array[] }>;

/** The last line for each output, in job order; lines that are not results are counted. */
function parseResults(text: string): { results: BatchResult[]; unreadable: number } {
  const { byOut, unreadable } = parseResultLines(text);
  return { results: [...byOut.values()].sort((a, b) => a.index - b.index), unreadable };
}

/**
 * Every finished take of the batch folder `dir`, in job order, with notices for what was
 * left out.
 * @throws GramophoneError INVALID_INPUT when `dir` holds no results file, or none of its takes can be read
 */
export async function readBatchFolder(dir: string, decode: DecodeFile): Promise<{ takes: BatchTake[]; notices: string[] }> {
  const file = path.join(dir, RESULTS_FILE);
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new GramophoneError('INVALID_INPUT', `"${dir}" is not a batch folder: it has no ${RESULTS_FILE} (made by gramophone batch).`);
  }
  if (size > MAX_RESULTS_BYTES) throw new GramophoneError('INVALID_INPUT', `${RESULTS_FILE} in "${dir}" is ${formatBytes(size)}, more than the ${formatBytes(MAX_RESULTS_BYTES)} read.`);
  const { results, unreadable } = parseResults(await readFile(file, 'utf8'));
  const notices: string[] = [];
  if (unreadable) notices.push(`${unreadable} line${unreadable > 1 ? 's' : ''} of ${RESULTS_FILE} could not be read and ${unreadable > 1 ? 'were' : 'was'} left out.`);
  const failed = results.filter((r) => r.status !== 'done').length;
  if (failed) notices.push(`${failed} job${failed > 1 ? 's' : ''} of the batch failed and ${failed > 1 ? 'have' : 'has'} no take.`);
  const takes: BatchTake[] = [];
  for (const r of results.filter((x) => x.status === 'done')) {
    // Only a plain file name inside the folder: a results line never reads elsewhere.
    if (path.basename(r.out) !== r.out || r.out === '..' || r.out === '.') {
      notices.push(`"${r.out}" is not a file name inside the batch folder; left out.`);
      continue;
    }
    try {
      const take = path.join(dir, r.out);
      const bytes = (await stat(take)).size;
      if (bytes > MAX_TAKE_BYTES) throw new Error(`${formatBytes(bytes)} is more than the ${formatBytes(MAX_TAKE_BYTES)} read`);
      if (!r.metrics) throw new Error('its results line has no metrics');
      const preset = migratePreset(r.preset);
      const d = await decode(r.out, new Uint8Array(await readFile(take)));
      takes.push({
        label: r.out.replace(/\.[^.]+$/, ''),
        preset,
        metrics: r.metrics,
        warnings: (r.warnings ?? []).slice(0, 40),
        contentName: r.content.name,
        styleName: r.style.name,
        info: d.info,
        samples: d.channels[0],
      });
    } catch (e) {
      notices.push(`"${r.out}" could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!takes.length) throw new GramophoneError('INVALID_INPUT', `No take of the batch in "${dir}" could be read${notices.length ? `: ${notices.join(' ')}` : '.'}`);
  return { takes, notices };
}
