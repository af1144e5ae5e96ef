/**
 * A batch job as the manifest or the grid describes it, before any file is read, and the
 * rules for its output name.
 */
import path from 'node:path';
import { RESULTS_FILE } from '../../common/batch';
import { GramophoneError } from '../../common/errors';
import type { Preset } from '../../common/preset';

export interface JobSpec {
  /** 1-based position in the batch. */
  index: number;
  /** Where the job came from, for messages: "jobs.csv line 4", "grid". */
  origin: string;
  /** Absolute paths of the inputs. */
  content: string;
  style: string;
  /** The complete preset, overrides applied and validated. */
  preset: Preset;
  /** Output file name inside the batch folder. */
  out: string;
}

/** A file name's stem made safe for a file name: "Bongos (take 2).wav" → "Bongos-take-2". */
export function slug(name: string): string {
  const stem = name.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  return (
    stem
      .replace(/[^A-Za-z0-9.+-]+/g, '-')
      .replace(/^[-.]+|-+$/g, '')
      .slice(0, 60) || 'untitled'
  );
}

/**
 * Check an output name the user gave: a plain file name in the batch folder, `.wav` added
 * when missing. Returns the problem in words, or the name.
 */
export function checkOutName(name: string): { out: string } | { problem: string } {
  const n = name.trim();
  if (!n) return { problem: 'the output name is empty' };
  if (/[/\\]/.test(n) || n === '.' || n === '..') return { problem: `the output name "${n}" must be a file name, not a path` };
  if (n.startsWith('.')) return { problem: `the output name "${n}" must not start with a dot` };
  // Characters Windows refuses in a name, and control characters (code < 32).
  if (/[<>:"|?*]/.test(n) || [...n].some((c) => c.charCodeAt(0) < 32)) return { problem: `the output name "${n}" has characters a file name cannot hold` };
  const out = /\.wav$/i.test(n) ? n : `${n}.wav`;
  if (out.length > 200) return { problem: `the output name "${n.slice(0, 40)}…" is longer than 200 characters` };
  if (out === RESULTS_FILE) return { problem: `the output name "${n}" is the results file's` };
  return { out };
}

/** Refuse a batch in which two jobs would write the same file. @throws GramophoneError INVALID_INPUT naming both. */
export function assertDistinctOutputs(jobs: readonly JobSpec[]): void {
  const seen = new Map<string, JobSpec>();
  const clashes: string[] = [];
  for (const j of jobs) {
    const k = j.out.toLowerCase();
    const first = seen.get(k);
    if (first) clashes.push(`"${j.out}" by ${first.origin} and ${j.origin}`);
    else seen.set(k, j);
  }
  if (clashes.length) {
    throw new GramophoneError(
      'INVALID_INPUT',
      `Two jobs would write the same file: ${clashes.slice(0, 5).join('; ')}${clashes.length > 5 ? ` and ${clashes.length - 5} more` : ''}. Give them different output names.`,
    );
  }
}

/** `file` relative to `base` unless already absolute. */
export const resolveFrom = (base: string, file: string): string => path.resolve(base, file);
