/**
 * The preset a command asks for: a built-in by name or a preset file, then the command
 * line's overrides (weights, seed, iterations, backend). `render` and every job of a batch
 * go through here, so an override means the same thing everywhere.
 */
import { readFile } from 'node:fs/promises';
import { GramophoneError } from '../common/errors';
import type { LossTermName } from '../common/loss-terms';
import { BUILTIN_PRESETS, builtinPreset, migratePreset, type BackendChoice, type Preset } from '../common/preset';

/** Values that replace the preset's own; absent ones leave it alone. */
export interface PresetOverrides {
  /** Loss weights by term (--alpha, --beta, …). */
  weights?: Partial<Record<LossTermName, number>>;
  seed?: number;
  iterations?: number;
  backend?: BackendChoice;
}

/** A built-in preset by name (case-insensitive). @throws GramophoneError INVALID_INPUT listing the names. */
export function builtinByName(name: string): Preset {
  const found = builtinPreset(name);
  if (!found) {
    throw new GramophoneError('INVALID_INPUT', `No built-in preset "${name}". Choose one of: ${BUILTIN_PRESETS.map((p) => p.name).join(', ')}`);
  }
  return found;
}

/** A preset file, migrated to the current version. @throws GramophoneError INVALID_INPUT naming the file and the problem. */
export async function readPresetFile(file: string): Promise<Preset> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new GramophoneError('INVALID_INPUT', `Cannot read the preset file "${file}": ${(e as Error).message}`);
  }
  try {
    return migratePreset(doc);
  } catch (e) {
    throw new GramophoneError('INVALID_INPUT', `The preset file "${file}" is not a valid preset: ${(e as Error).message}`);
  }
}

/** `preset` with the overrides applied and validated. @throws GramophoneError INVALID_INPUT saying which value is out of range. */
export function applyOverrides(preset: Preset, o: PresetOverrides): Preset {
  const candidate = {
    ...preset,
    weights: { ...preset.weights, ...o.weights },
    network: { ...preset.network, seed: o.seed ?? preset.network.seed },
    optimizer: { ...preset.optimizer, iterations: o.iterations ?? preset.optimizer.iterations },
    backend: o.backend ?? preset.backend,
  };
  try {
    return migratePreset(candidate);
  } catch (e) {
    throw new GramophoneError('INVALID_INPUT', `Invalid option: ${(e as Error).message}`);
  }
}
