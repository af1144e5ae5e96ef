/**
 * What the benchmark scores: the truth itself (what the detectors reach on a perfect
 * transfer), the baselines, every built-in preset and presets from JSON files. Presets are
 * opaque documents here: they go through `migratePreset` and the engine's real `renderRequest()`
 * unchanged, so new built-ins and new schema fields need nothing in this file.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BUILTIN_PRESETS, migratePreset, type Preset } from '../../common/preset';
import { GramophoneError } from '../../common/errors';
import { resample } from '../../engine/dsp/resample';
import { encodeWav } from '../../engine/audio/wav-encode';
import { renderRequest } from '../../engine/render/render-request';
import { CORPUS_AUDIO, fitLength } from './corpus';
import { matchEq } from './match-eq';
import type { Pair } from './melodies';

/** One pair's audio at CORPUS_AUDIO.sampleRate, every clip the same length. */
export interface PairAudio {
  pair: Pair;
  content: Float32Array;
  style: Float32Array;
  truth: Float32Array;
  /**
   * The truth's notes on the style's own instrument and renderer. The same clip as `truth`
   * unless the truth comes from another source than the style (another sound font).
   */
  truthOnStyleSource: Float32Array;
}

/** A system's output for one pair, at CORPUS_AUDIO.sampleRate and as long as the content. */
export interface Take {
  samples: Float32Array;
  /** Seconds the system took to make it (0 for the inputs themselves). */
  wallS: number;
  /** CPU seconds this process used meanwhile, all threads (0 for the inputs themselves). */
  cpuS: number;
  /** For presets: what the render reports. */
  render?: { iterations: number; backend: string; warnings: string[] };
}

export type SystemKind = 'reference' | 'baseline' | 'preset';

export interface System {
  name: string;
  kind: SystemKind;
  /** Where it comes from: a description, or the preset's source / file. */
  about: string;
  run(audio: PairAudio): Promise<Take>;
}

/** Always scored, whatever `--systems` says: the table's ratios are relative to them. */
export const ALWAYS_SCORED = ['truth', 'match-eq'] as const;

const given = (samples: Float32Array): Take => ({ samples, wallS: 0, cpuS: 0 });

/** Run `work`, measuring its wall and CPU seconds. */
async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; wallS: number; cpuS: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const cpu = process.cpuUsage(cpu0);
  return { value, wallS: (performance.now() - t0) / 1000, cpuS: (cpu.user + cpu.system) / 1e6 };
}

export const BASELINES: readonly System[] = [
  { name: 'truth', kind: 'reference', about: 'the content melody played by the style instrument: what the detectors reach on a perfect transfer', run: async (a) => given(a.truth) },
  {
    name: 'truth on style source',
    kind: 'reference',
    about:
      "the content melody played by the style's own instrument and renderer: what a perfect transfer of the style's sound reaches when the truth comes from another sound font (the truth itself otherwise)",
    run: async (a) => given(a.truthOnStyleSource),
  },
  { name: 'content', kind: 'baseline', about: 'the content unchanged', run: async (a) => given(a.content) },
  {
    name: 'match-eq',
    kind: 'baseline',
    about: 'the content × smoothed mean style spectrum / mean content spectrum, content phase (bench/quality/match-eq.ts)',
    run: async (a) => {
      const { value, wallS, cpuS } = await timed(() => matchEq(a.content, a.style));
      return { samples: value, wallS, cpuS };
    },
  },
  { name: 'style', kind: 'baseline', about: 'the style clip (another melody on the truth instrument)', run: async (a) => given(a.style) },
];

const wavFile = (name: string, samples: Float32Array) => ({ name, bytes: encodeWav([samples], CORPUS_AUDIO.sampleRate, 'float32') });

/** A preset rendered by the engine's `renderRequest()` with the pair's content and style. */
export function presetSystem(preset: Preset, name = preset.name, about = preset.source ?? 'preset'): System {
  return {
    name,
    kind: 'preset',
    about,
    async run(a) {
      const content = wavFile('content.wav', a.content);
      const style = wavFile('style.wav', a.style);
      const { value: take, wallS, cpuS } = await timed(() => renderRequest({ jobId: 'bench-quality', content, style, preset }));
      const samples = take.sampleRate === CORPUS_AUDIO.sampleRate ? take.samples : resample(take.samples, take.sampleRate, CORPUS_AUDIO.sampleRate);
      return {
        samples: fitLength(samples, a.content.length),
        wallS,
        cpuS,
        render: { iterations: take.metrics.iterations, backend: take.metrics.backend, warnings: take.warnings },
      };
    },
  };
}

/**
 * Presets from JSON files (each a preset document or an array of them), migrated to the
 * current schema. A name already taken gets the file's name appended.
 * @throws GramophoneError INVALID_INPUT naming the file and what is wrong with it
 */
export async function presetsFromFiles(files: readonly string[], taken: readonly string[]): Promise<System[]> {
  const names = new Set(taken.map((n) => n.toLowerCase()));
  const out: System[] = [];
  for (const file of files) {
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
      throw new GramophoneError('INVALID_INPUT', `Cannot read the preset file "${file}": ${reason}`);
    }
    const docs = Array.isArray(doc) ? doc : [doc];
    if (docs.length === 0) throw new GramophoneError('INVALID_INPUT', `The preset file "${file}" holds an empty list`);
    docs.forEach((d, i) => {
      let preset: Preset;
      try {
        preset = migratePreset(d);
      } catch (e) {
        const where = Array.isArray(doc) ? ` (entry ${i + 1})` : '';
        throw new GramophoneError('INVALID_INPUT', `The preset file "${file}"${where} is not a valid preset: ${(e as Error).message}`);
      }
      let name = preset.name;
      if (names.has(name.toLowerCase())) name = `${preset.name} (${path.basename(file)}${Array.isArray(doc) ? ` #${i + 1}` : ''})`;
      if (names.has(name.toLowerCase())) throw new GramophoneError('INVALID_INPUT', `The preset "${preset.name}" in "${file}" is given twice`);
      names.add(name.toLowerCase());
      out.push(presetSystem(preset, name, `${preset.source ?? 'preset'} [from ${file}]`));
    });
  }
  return out;
}

/** Every system in table order: the baselines, the built-ins, then `extra`. */
export function allSystems(extra: readonly System[] = []): System[] {
  return [...BASELINES, ...BUILTIN_PRESETS.map((p) => presetSystem(p)), ...extra];
}

/** A name as typed on a command line: lower case, runs of other characters as one "-". */
export const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * The systems `wanted` names (by name or slug, any case), plus ALWAYS_SCORED, in table
 * order; every system when `wanted` is undefined.
 * @throws GramophoneError INVALID_INPUT for a name that matches nothing, listing the names
 */
export function selectSystems(all: readonly System[], wanted?: readonly string[]): System[] {
  if (!wanted) return [...all];
  const keys = new Set<string>(ALWAYS_SCORED);
  for (const w of wanted) {
    const hit = all.find((s) => slug(s.name) === slug(w));
    if (!hit) throw new GramophoneError('INVALID_INPUT', `No system "${w}". Choose from: ${all.map((s) => s.name).join(', ')}`);
    keys.add(slug(hit.name));
  }
  return all.filter((s) => keys.has(slug(s.name)));
}

/**
 * The pairs `wanted` names: 0-based indices or pair names ("piano-violin"), in corpus
 * order; every pair when `wanted` is undefined.
 * @throws GramophoneError INVALID_INPUT for an index or name not in the corpus
 */
export function selectPairs(pairs: readonly Pair[], wanted?: readonly string[]): Pair[] {
  if (!wanted) return [...pairs];
  const picked = new Set<Pair>();
  for (const w of wanted) {
    const hit = /^\d+$/.test(w) ? pairs[Number(w)] : pairs.find((p) => p.name === w.toLowerCase());
    if (!hit) {
      throw new GramophoneError('INVALID_INPUT', `No pair "${w}". Give indices 0–${pairs.length - 1} or names: ${pairs.map((p) => p.name).join(', ')}`);
    }
    picked.add(hit);
  }
  return pairs.filter((p) => picked.has(p));
}
