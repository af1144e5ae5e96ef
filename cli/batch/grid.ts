/**
 * A grid of jobs: every content × every style × every preset × every value of each swept
 * weight or seed (`--beta 0.3,1,3`). Output names say what varies: the inputs, the preset
 * when there are several, and each swept value.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isAcceptedAudioFile } from '../../common/audio-formats';
import { GramophoneError } from '../../common/errors';
import { LOSS_TERM_TABLE, type LossTermName } from '../../common/loss-terms';
import type { Preset } from '../../common/preset';
import { applyOverrides, type PresetOverrides } from '../preset-choice';
import { assertDistinctOutputs, slug, type JobSpec } from './jobs';
import { presetLoader } from './manifest';

/** Files a folder contributes to a grid: the audio formats the engine reads, hidden files aside. */
const isAudioFile = (name: string) => !name.startsWith('.') && isAcceptedAudioFile(name);

export interface GridOptions {
  /** Files or folders (a folder gives its audio files, sorted by name). */
  contents: readonly string[];
  styles: readonly string[];
  /** Built-in preset names and preset files; both empty = `defaultPreset`. */
  presets: readonly string[];
  presetFiles: readonly string[];
  /** Swept values per loss weight and seed; an absent or one-value list does not vary. */
  sweep: { weights?: Partial<Record<LossTermName, number[]>>; seed?: number[] };
  /** Applied to every job (iterations, backend). */
  overrides: PresetOverrides;
  defaultPreset: string;
}

/**
 * Expand files and folders to files. A path that does not exist stays in the list: its jobs
 * fail with "no such file" while the rest of the batch goes on.
 * @throws GramophoneError INVALID_INPUT for a folder without audio files
 */
async function expandInputs(role: string, items: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const item of items) {
    const abs = path.resolve(item);
    const info = await stat(abs).catch(() => undefined);
    if (!info?.isDirectory()) {
      out.push(abs);
      continue;
    }
    const files = (await readdir(abs)).filter(isAudioFile).sort((a, b) => a.localeCompare(b));
    if (files.length === 0) throw new GramophoneError('INVALID_INPUT', `The ${role} folder "${item}" holds no audio files`);
    out.push(...files.map((f) => path.join(abs, f)));
  }
  return out;
}

/** A swept value in an output name: "_beta0.3", "_seed2". */
type Swept = { tag: string; values: readonly (number | undefined)[]; apply: (o: PresetOverrides, v: number) => void };

/** Every combination of the lists, the last varying fastest. */
function product<T>(lists: readonly (readonly T[])[]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((combo) => list.map((v) => [...combo, v])), [[]]);
}

/**
 * The jobs of a grid, in order content, style, preset, each weight in the loss-term table's order, seed.
 * @throws GramophoneError INVALID_INPUT for no inputs, a bad preset, or clashing output names
 */
export async function gridJobs(g: GridOptions): Promise<JobSpec[]> {
  if (!g.contents.length || !g.styles.length) throw new GramophoneError('INVALID_INPUT', 'A batch needs --content and --style (files or folders), or --manifest');
  const contents = await expandInputs('content', g.contents);
  const styles = await expandInputs('style', g.styles);
  const load = presetLoader();
  const choices: { label: string; preset: Preset }[] = [];
  for (const name of g.presets) choices.push({ label: slug(name), preset: await load({ preset: name }) });
  for (const file of g.presetFiles) choices.push({ label: slug(path.basename(file)), preset: await load({ presetFile: path.resolve(file) }) });
  if (!choices.length) choices.push({ label: slug(g.defaultPreset), preset: await load({ preset: g.defaultPreset }) });
  const swept: Swept[] = [
    ...LOSS_TERM_TABLE.map((t) => ({
      tag: t.cliFlag.replace(/^--/, ''),
      values: g.sweep.weights?.[t.name]?.length ? g.sweep.weights[t.name]! : [undefined],
      apply: (o: PresetOverrides, v: number) => (o.weights = { ...o.weights, [t.name]: v }),
    })),
    { tag: 'seed', values: g.sweep.seed?.length ? g.sweep.seed : [undefined], apply: (o, v) => (o.seed = v) },
  ];
  const jobs: JobSpec[] = [];
  for (const content of contents) {
    for (const style of styles) {
      for (const choice of choices) {
        for (const values of product<number | undefined>(swept.map((s) => s.values))) {
          const overrides: PresetOverrides = { ...g.overrides };
          let name = `${slug(path.basename(content))}_x_${slug(path.basename(style))}`;
          if (choices.length > 1) name += `_${choice.label}`;
          swept.forEach((s, i) => {
            const v = values[i];
            if (v === undefined) return;
            s.apply(overrides, v);
            if (s.values.length > 1) name += `_${s.tag}${v}`;
          });
          const index = jobs.length + 1;
          jobs.push({ index, origin: `grid job ${index}`, content, style, preset: applyOverrides(choice.preset, overrides), out: `${name}.wav` });
        }
      }
    }
  }
  assertDistinctOutputs(jobs);
  return jobs;
}
