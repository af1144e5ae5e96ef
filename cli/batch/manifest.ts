/**
 * Batch manifests: one job per CSV row or JSON object, with the columns content, style,
 * preset | preset_file, one per loss weight named like its flag (alpha, beta, …), seed,
 * iterations, out.
 * Paths are relative to the manifest's folder. Every bad row is reported with its line,
 * all at once, before anything renders.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GramophoneError } from '../../common/errors';
import { LOSS_TERM_TABLE, type LossTermName } from '../../common/loss-terms';
import type { Preset } from '../../common/preset';
import { applyOverrides, builtinByName, readPresetFile, type PresetOverrides } from '../preset-choice';
import { parseCsv } from './csv';
import { assertDistinctOutputs, checkOutName, resolveFrom, slug, type JobSpec } from './jobs';

/** What a row does not say: the batch's preset and overrides from the command line. */
export interface JobDefaults {
  /** A built-in preset name, or a preset file (absolute or relative to the working folder). */
  preset?: string;
  presetFile?: string;
  overrides: PresetOverrides;
}

/** A weight column is named like the term's flag: "alpha" for --alpha. */
const WEIGHT_COLUMNS = LOSS_TERM_TABLE.map((t) => ({ column: t.cliFlag.replace(/^--/, ''), term: t.name as LossTermName }));
type Column = 'content' | 'style' | 'preset' | 'presetFile' | 'seed' | 'iterations' | 'out' | `weight:${LossTermName}`;
const COLUMNS: Record<string, Column> = {
  content: 'content',
  style: 'style',
  preset: 'preset',
  presetfile: 'presetFile',
  seed: 'seed',
  iterations: 'iterations',
  out: 'out',
  output: 'out',
  ...Object.fromEntries(WEIGHT_COLUMNS.map((w) => [w.column, `weight:${w.term}` as Column])),
};
/** A column's name as the user writes it. */
const columnName = (c: Column) => (c.startsWith('weight:') ? WEIGHT_COLUMNS.find((w) => `weight:${w.term}` === c)!.column : c);
const KNOWN_COLUMNS = ['content', 'style', 'preset', 'preset_file', ...WEIGHT_COLUMNS.map((w) => w.column), 'seed', 'iterations', 'out'].join(', ');
const WEIGHT_LIMITS = { integer: false, min: 0, max: 1e6 };
const NUMBER_LIMITS: Partial<Record<Column, { integer: boolean; min: number; max: number }>> = {
  seed: { integer: true, min: 0, max: 0xffffffff },
  iterations: { integer: true, min: 1, max: 10000 },
};

/** "preset_file", "Preset-File", "presetFile" → "presetfile". */
const columnKey = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

/** A row as read: where it is and its values by column. */
interface RawRow {
  /** "line 4" */
  where: string;
  values: Map<Column, unknown>;
}

/** Start offsets of the top-level elements of the JSON array that begins at `start`. */
function arrayElementOffsets(text: string, start: number): number[] {
  const offsets: number[] = [];
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (depth === 1 && expectElement && c !== ']') {
      offsets.push(i);
      expectElement = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) break;
    } else if (c === ',' && depth === 1) expectElement = true;
  }
  return offsets;
}

const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

function jsonRows(text: string, problems: string[]): RawRow[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new GramophoneError('INVALID_INPUT', `not valid JSON: ${(e as Error).message}`);
  }
  const jobs = Array.isArray(doc) ? doc : doc && typeof doc === 'object' ? (doc as { jobs?: unknown }).jobs : undefined;
  if (!Array.isArray(jobs)) throw new GramophoneError('INVALID_INPUT', 'a JSON manifest must be an array of jobs, or an object with a "jobs" array');
  const arrayStart = Array.isArray(doc) ? text.indexOf('[') : text.indexOf('[', text.search(/"jobs"\s*:/));
  const offsets = arrayElementOffsets(text, arrayStart);
  return jobs.flatMap((job, i) => {
    const where = offsets[i] !== undefined ? `line ${lineAt(text, offsets[i])}` : `job ${i + 1}`;
    if (!job || typeof job !== 'object' || Array.isArray(job)) {
      problems.push(`${where}: a job must be an object with "content" and "style"`);
      return [];
    }
    const values = new Map<Column, unknown>();
    for (const [k, v] of Object.entries(job as Record<string, unknown>)) {
      const col = COLUMNS[columnKey(k)];
      if (!col) problems.push(`${where}: unknown field "${k}" (known: ${KNOWN_COLUMNS})`);
      else values.set(col, v);
    }
    return [{ where, values }];
  });
}

function csvRows(text: string, problems: string[]): RawRow[] {
  const records = parseCsv(text);
  if (records.length === 0) return [];
  const [header, ...rows] = records;
  const columns = header.fields.map((name) => {
    const col = COLUMNS[columnKey(name)];
    if (!col) problems.push(`line ${header.line}: unknown column "${name.trim()}" (known: ${KNOWN_COLUMNS})`);
    return col;
  });
  if (!columns.includes('content') || !columns.includes('style')) {
    throw new GramophoneError('INVALID_INPUT', `line ${header.line}: the first line must name the columns, with at least "content" and "style"`);
  }
  return rows.map((r) => {
    const where = `line ${r.line}`;
    if (r.fields.length > columns.length) problems.push(`${where}: ${r.fields.length} fields but the header names ${columns.length} columns`);
    const values = new Map<Column, unknown>();
    columns.forEach((col, i) => {
      const v = r.fields[i]?.trim();
      if (col && v) values.set(col, v);
    });
    return { where, values };
  });
}

/** A manifest value as a number within limits, or a problem. */
function numberValue(col: Column, v: unknown): number | string {
  const lim = NUMBER_LIMITS[col] ?? WEIGHT_LIMITS;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || (lim.integer && !Number.isInteger(n)) || n < lim.min || n > lim.max) {
    return `${columnName(col)} must be ${lim.integer ? 'a whole number' : 'a number'} from ${lim.min} to ${lim.max}, got ${JSON.stringify(v)}`;
  }
  return n;
}

const stringValue = (col: Column, v: unknown): string | { problem: string } =>
  typeof v === 'string' && v.trim() ? v.trim() : { problem: `${columnName(col)} must be text, got ${JSON.stringify(v)}` };

/** Presets are read once per file or name however many rows use them. */
export function presetLoader(): (choice: { preset?: string; presetFile?: string }) => Promise<Preset> {
  const cache = new Map<string, Promise<Preset>>();
  return ({ preset, presetFile }) => {
    const id = presetFile ? `file:${presetFile}` : `name:${preset ?? ''}`;
    let p = cache.get(id);
    if (!p) {
      p = presetFile ? readPresetFile(presetFile) : Promise.resolve().then(() => builtinByName(preset ?? ''));
      cache.set(id, p);
    }
    return p;
  };
}

/**
 * Parse a manifest's text into jobs.
 * @param kind 'json' or 'csv'
 * @param baseDir folder the manifest's relative paths start from
 * @param label how to name the manifest in messages
 * @throws GramophoneError INVALID_INPUT listing every bad row with its line
 */
export async function parseManifest(text: string, kind: 'json' | 'csv', baseDir: string, defaults: JobDefaults, label: string, defaultPreset: string): Promise<JobSpec[]> {
  const problems: string[] = [];
  let rows: RawRow[];
  try {
    rows = kind === 'json' ? jsonRows(text, problems) : csvRows(text, problems);
  } catch (e) {
    throw new GramophoneError('INVALID_INPUT', `The manifest ${label} cannot be read: ${(e as Error).message}`);
  }
  const loadPreset = presetLoader();
  const jobs: JobSpec[] = [];
  for (const [i, row] of rows.entries()) {
    const rowProblems: string[] = [];
    const text = (col: Column) => {
      const v = row.values.get(col);
      if (v === undefined || v === '') return undefined;
      const s = stringValue(col, v);
      if (typeof s === 'string') return s;
      rowProblems.push(s.problem);
      return undefined;
    };
    const num = (col: Column) => {
      const v = row.values.get(col);
      if (v === undefined || v === '') return undefined;
      const n = numberValue(col, v);
      if (typeof n === 'number') return n;
      rowProblems.push(n);
      return undefined;
    };
    const content = text('content');
    const style = text('style');
    if (!content) rowProblems.push('content is missing');
    if (!style) rowProblems.push('style is missing');
    const presetName = text('preset');
    const presetFile = text('presetFile');
    if (presetName && presetFile) rowProblems.push('give either preset or preset_file, not both');
    const weights = { ...defaults.overrides.weights };
    for (const w of WEIGHT_COLUMNS) {
      const n = num(`weight:${w.term}`);
      if (n !== undefined) weights[w.term] = n;
    }
    const overrides: PresetOverrides = { ...defaults.overrides, weights, seed: num('seed') ?? defaults.overrides.seed, iterations: num('iterations') ?? defaults.overrides.iterations };
    const outGiven = text('out');
    const index = i + 1;
    const checked = outGiven ? checkOutName(outGiven) : undefined;
    if (checked && 'problem' in checked) rowProblems.push(checked.problem);
    if (rowProblems.length || !content || !style) {
      problems.push(`${row.where}: ${rowProblems.join('; ')}`);
      continue;
    }
    let preset: Preset;
    try {
      const choice =
        presetName || presetFile
          ? { preset: presetName, presetFile: presetFile && resolveFrom(baseDir, presetFile) }
          : defaults.presetFile
            ? { presetFile: defaults.presetFile }
            : { preset: defaults.preset ?? defaultPreset };
      preset = applyOverrides(await loadPreset(choice), overrides);
    } catch (e) {
      problems.push(`${row.where}: ${(e as Error).message}`);
      continue;
    }
    const out = checked && 'out' in checked ? checked.out : `${String(index).padStart(3, '0')}_${slug(path.basename(content))}_x_${slug(path.basename(style))}.wav`;
    jobs.push({ index, origin: `${label} ${row.where}`, content: resolveFrom(baseDir, content), style: resolveFrom(baseDir, style), preset, out });
  }
  if (problems.length) {
    const shown = problems
      .slice(0, 20)
      .map((p) => `  ${p}`)
      .join('\n');
    throw new GramophoneError(
      'INVALID_INPUT',
      `The manifest ${label} has ${problems.length} bad ${problems.length === 1 ? 'row' : 'rows'}:\n${shown}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`,
    );
  }
  if (jobs.length === 0) throw new GramophoneError('INVALID_INPUT', `The manifest ${label} holds no jobs`);
  assertDistinctOutputs(jobs);
  return jobs;
}

/**
 * Read a manifest file: JSON when it ends in .json or starts with [ or {, else CSV.
 * @throws GramophoneError IO_ERROR when it cannot be read, INVALID_INPUT for bad rows
 */
export async function readManifest(file: string, defaults: JobDefaults, defaultPreset: string): Promise<JobSpec[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new GramophoneError('IO_ERROR', `Cannot read the manifest "${file}": ${reason}`);
  }
  const kind = /\.json$/i.test(file) || /^\s*[[{]/.test(text.replace(/^\ufeff/, '')) ? 'json' : 'csv';
  return parseManifest(text, kind, path.dirname(path.resolve(file)), defaults, path.basename(file), defaultPreset);
}
