/**
 * Pure helpers for editing a preset from the controls: deep equality (the "modified"
 * marker), setting one field by path, and the log-scale mapping of the weight sliders.
 */
import { presetProblems, type Preset } from '../../common/preset';

/** Structural equality of two JSON-like values (presets have no cycles, dates or maps). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Whether the controls differ from the loaded preset in anything that changes a render.
 * The name and source are labels, not settings, so they are ignored.
 */
export function presetModified(controls: Preset, loaded: Preset): boolean {
  const strip = (p: Preset) => ({ ...p, name: '', source: undefined });
  return !jsonEqual(strip(controls), strip(loaded));
}

/** What is appended to a preset's name when a render used modified settings. */
const MODIFIED_SUFFIX = ' (modified)';
/** The preset schema's name limit, in characters. */
const MAX_NAME = 80;

/**
 * The name a render of modified settings goes under ("Quick preview (modified)"), kept
 * within the 80-character preset name limit; a name already marked is not marked twice.
 */
export function modifiedName(name: string): string {
  if (name.endsWith(MODIFIED_SUFFIX)) return name;
  return `${name.slice(0, MAX_NAME - MODIFIED_SUFFIX.length).trimEnd()}${MODIFIED_SUFFIX}`;
}

/**
 * A dotted path to a field of the preset document, numbers indexing arrays:
 * "weights.style", "frontEnd.bands", "network.layers.0.filters", "statistics.energy.target".
 */
export type PresetPath = string;

/**
 * A copy of `p` with the field at `path` set to `value`, copying only the objects on the way
 * (no validation here). A new FFT size carries the window with it: a window that filled the
 * frame still fills it, and one that would no longer fit is shortened to the frame, so
 * choosing an FFT size never leaves an impossible analysis behind.
 */
export function setPresetField(p: Preset, path: PresetPath, value: unknown): Preset {
  const set = (node: unknown, keys: string[]): unknown => {
    if (!keys.length) return value;
    const [k, ...rest] = keys;
    if (Array.isArray(node)) return node.map((v, i) => (i === Number(k) ? set(v, rest) : v));
    const obj = (node ?? {}) as Record<string, unknown>;
    return { ...obj, [k]: set(obj[k], rest) };
  };
  const next = set(p, path.split('.')) as Preset;
  if (path === 'analysis.nFft' && typeof value === 'number') {
    const { window, nFft } = p.analysis;
    if (window === nFft || window > value) return { ...next, analysis: { ...next.analysis, window: value } };
  }
  return next;
}

/** Weight slider range: position 0 is "off"; 1..WEIGHT_STEPS span 10^WEIGHT_MIN_EXP..10^WEIGHT_MAX_EXP, 100 steps a decade. */
export const WEIGHT_STEPS = 601;
export const WEIGHT_MIN_EXP = -3;
export const WEIGHT_MAX_EXP = 3;

/** Slider position (0..WEIGHT_STEPS) for a weight; 0 for 0 (off), clamped at the ends. */
export function weightToPosition(w: number): number {
  if (!(w > 0)) return 0;
  const e = Math.log10(w);
  const t = (e - WEIGHT_MIN_EXP) / (WEIGHT_MAX_EXP - WEIGHT_MIN_EXP);
  return Math.max(1, Math.min(WEIGHT_STEPS, Math.round(1 + t * (WEIGHT_STEPS - 1))));
}

/**
 * Weight for a slider position, rounded to 3 significant digits so the numeric field reads
 * cleanly (0.0316, 1, 12.6). Position 0 → 0 (off).
 */
export function positionToWeight(pos: number): number {
  if (pos <= 0) return 0;
  const t = (Math.min(WEIGHT_STEPS, pos) - 1) / (WEIGHT_STEPS - 1);
  const w = Math.pow(10, WEIGHT_MIN_EXP + t * (WEIGHT_MAX_EXP - WEIGHT_MIN_EXP));
  return Number(w.toPrecision(3));
}

/** What `presetProblems` said of each preset object already checked. */
const checked = new WeakMap<Preset, string | null>();

/**
 * `presetProblems(p)`, validated once per preset object: the store replaces a preset rather
 * than change it, so the answer for one object stays true, and the render panel, which
 * re-renders on every progress event of a render, does not validate the whole preset each time.
 * @returns the problems in words, or null when `p` is valid
 */
export function problemsOf(p: Preset): string | null {
  const known = checked.get(p);
  if (known !== undefined) return known;
  const problems = presetProblems(p);
  checked.set(p, problems);
  return problems;
}
