/**
 * A grid of takes: one or two things swept over values a musician types or picks (a loss
 * weight, the preset, the network's seed, the FFT size), every combination rendered as a
 * take named by what differs and keeping its whole preset. Pure: parsing the values,
 * building the presets and naming them are tested without React.
 */
import { LOSS_TERM_TABLE, type LossTermName } from '../../common/loss-terms';
import { presetProblems, type Preset } from '../../common/preset';

/** What a grid can sweep: a loss weight, the preset itself, the network seed, the FFT size. */
export type SweepParam = `weight:${LossTermName}` | 'preset' | 'seed' | 'nFft';

/** Every sweepable thing with the words the grid form shows. */
export const SWEEP_PARAMS: { param: SweepParam; label: string; placeholder: string }[] = [
  ...LOSS_TERM_TABLE.map((t) => ({ param: `weight:${t.name}` as SweepParam, label: `${t.symbol} ${t.label} weight`, placeholder: '0.01, 0.1, 1' })),
  { param: 'preset', label: 'Preset', placeholder: 'Timbre transfer, Quick preview' },
  { param: 'seed', label: 'Seed', placeholder: '1, 2, 3' },
  { param: 'nFft', label: 'FFT size', placeholder: '1024, 2048' },
];

/** One axis of a grid: what is swept and its values (numbers, or preset names). */
export interface SweepAxis {
  param: SweepParam;
  values: (number | string)[];
}

/** Most takes one grid may make (a grid is for auditioning, not for a batch run). */
export const MAX_GRID_TAKES = 36;

/** A value of an axis as a take's name says it: "α 0.1", "seed 2", "FFT 1024", "Quick preview". */
export function axisValueLabel(param: SweepParam, v: number | string): string {
  if (param === 'preset') return String(v);
  if (param === 'seed') return `seed ${v}`;
  if (param === 'nFft') return `FFT ${v}`;
  const t = LOSS_TERM_TABLE.find((x) => `weight:${x.name}` === param);
  return `${t?.symbol ?? param} ${v}`;
}

/**
 * The values typed into an axis's field (commas or spaces between them), checked for what
 * the axis takes: weights ≥ 0, seeds whole numbers 0…2³²−1, FFT sizes powers of two from 128
 * to 8192, preset names that exist. At least one, no repeats. An error in words otherwise.
 */
export function parseSweepValues(param: SweepParam, text: string, presets: readonly Preset[]): { values: (number | string)[] } | { error: string } {
  const label = SWEEP_PARAMS.find((p) => p.param === param)?.label ?? param;
  if (param === 'preset') {
    const names = text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!names.length) return { error: `${label}: name at least one preset, separated by commas.` };
    const unknown = names.filter((n) => !presets.some((p) => p.name === n));
    if (unknown.length) return { error: `${label}: no preset called ${unknown.map((n) => `"${n}"`).join(', ')}.` };
    if (new Set(names).size !== names.length) return { error: `${label}: a preset is named twice.` };
    return { values: names };
  }
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (!parts.length) return { error: `${label}: type at least one value, e.g. ${SWEEP_PARAMS.find((p) => p.param === param)?.placeholder}.` };
  const values: number[] = [];
  for (const part of parts) {
    const v = Number(part);
    if (!Number.isFinite(v)) return { error: `${label}: "${part}" is not a number.` };
    if (param === 'seed' && !(Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) return { error: `${label}: "${part}" is not a whole number from 0 to 4294967295.` };
    if (param === 'nFft' && !(Number.isInteger(v) && v >= 128 && v <= 8192 && (v & (v - 1)) === 0)) return { error: `${label}: "${part}" is not a power of two from 128 to 8192.` };
    if (param.startsWith('weight:') && !(v >= 0 && v <= 1e6)) return { error: `${label}: "${part}" must be from 0 to 1000000.` };
    values.push(v);
  }
  if (new Set(values).size !== values.length) return { error: `${label}: a value is there twice.` };
  return { values };
}

/** `p` with one axis set to `v` (a preset name replaces the whole preset). */
function applyValue(p: Preset, param: SweepParam, v: number | string, presets: readonly Preset[]): Preset {
  if (param === 'preset') return structuredClone(presets.find((x) => x.name === v) ?? p) as Preset;
  if (param === 'seed') return { ...p, network: { ...p.network, seed: Number(v) } };
  if (param === 'nFft') {
    const nFft = Number(v);
    // A smaller FFT takes the window and hop down with it, keeping their share of the frame.
    const a = p.analysis;
    const window = Math.max(16, Math.min(a.window, nFft, Math.round((a.window / a.nFft) * nFft)));
    const hop = Math.max(1, Math.min(Math.round((a.hop / a.nFft) * nFft), nFft));
    return { ...p, analysis: { ...a, nFft, window, hop } };
  }
  const term = param.slice('weight:'.length) as LossTermName;
  return { ...p, weights: { ...p.weights, [term]: Number(v) } };
}

/** One take of a grid: its preset, its name (what differs) and the value on each axis. */
export interface GridCell {
  preset: Preset;
  label: string;
  values: (number | string)[];
}

/**
 * Every combination of the axes' values applied to `base` (the preset axis first, so a
 * weight or seed axis applies on top of each preset), in row-major order (the last axis
 * changes fastest). Each take is named by its values ("α 0.1 · seed 2") and its preset
 * carries that name too, so an exported stem says what it was. Errors in words: no axis,
 * one thing swept twice, too many takes, or a combination that is not a valid preset.
 */
export function gridCells(base: Preset, axes: SweepAxis[], presets: readonly Preset[]): { cells: GridCell[] } | { error: string } {
  if (!axes.length || axes.some((a) => !a.values.length)) return { error: 'Choose what to sweep and type its values.' };
  if (new Set(axes.map((a) => a.param)).size !== axes.length) return { error: 'Sweep two different things (the same one is chosen twice).' };
  const total = axes.reduce((n, a) => n * a.values.length, 1);
  if (total > MAX_GRID_TAKES) return { error: `That is ${total} takes; a grid makes at most ${MAX_GRID_TAKES}. Use fewer values.` };
  const order = [...axes].sort((a, b) => Number(b.param === 'preset') - Number(a.param === 'preset'));
  let combos: (number | string)[][] = [[]];
  for (const a of axes) combos = combos.flatMap((c) => a.values.map((v) => [...c, v]));
  const cells: GridCell[] = [];
  for (const values of combos) {
    let p = structuredClone(base) as Preset;
    for (const a of order) p = applyValue(p, a.param, values[axes.indexOf(a)], presets);
    const label = values.map((v, i) => axisValueLabel(axes[i].param, v)).join(' · ');
    const baseName = axes.some((a) => a.param === 'preset') ? '' : `${base.name.replace(/ \(modified\)$/, '')} · `;
    const { source: _source, ...rest } = p;
    const preset = { ...rest, name: `${baseName}${label}`.slice(0, 80) } as Preset;
    const problem = presetProblems(preset);
    if (problem) return { error: `${label} is not a valid setting: ${problem}` };
    cells.push({ preset, label, values });
  }
  return { cells };
}
