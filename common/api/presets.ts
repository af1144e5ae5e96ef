/**
 * The renderer API's presets: the read-only built-ins and the user's own, stored by main,
 * imported from and exported to JSON files. Every rule (names, clashes, limits) lives in
 * main's preset store, whichever shell or path a preset comes through.
 */
import { z } from 'zod';
import type { MethodSpec } from '../rpc';
import { PresetSchema } from '../preset';
import { FileNameSchema, fileBytesSchema } from '../schemas';

/** Largest presets file read (the store's own file, or one imported), in bytes. */
export const MAX_PRESET_FILE_BYTES = 8 * 1024 * 1024;

const PresetNameSchema = z.string().trim().min(1).max(80);
const UserPresetsResult = z.strictObject({ user: z.array(PresetSchema) });
const ImportResult = z.strictObject({
  user: z.array(PresetSchema),
  /** Names the imported presets were saved under (a clash gets " (imported)" appended). */
  imported: z.array(z.string()),
  rejected: z.array(z.strictObject({ name: z.string(), reason: z.string() })),
});

export const presetMethods = {
  listPresets: {
    args: z.strictObject({}),
    result: z.strictObject({ builtin: z.array(PresetSchema), user: z.array(PresetSchema), notices: z.array(z.string()) }),
  },
  /** Save (create or, with overwrite, replace) a user preset. Built-in names are refused. */
  savePreset: { args: z.strictObject({ preset: PresetSchema, overwrite: z.boolean().optional() }), result: UserPresetsResult },
  renamePreset: { args: z.strictObject({ from: PresetNameSchema, to: PresetNameSchema }), result: UserPresetsResult },
  deletePreset: {
    args: z.strictObject({ name: PresetNameSchema }),
    result: z.strictObject({ user: z.array(PresetSchema), deleted: PresetSchema }),
  },
  /** Import presets from a JSON file chosen in an open dialog (in main); null if cancelled. */
  openPresets: { args: z.strictObject({}), result: ImportResult.nullable() },
  /** Import presets from a JSON file's bytes (dropped or picked in the page). */
  importPresets: {
    args: z.strictObject({ name: FileNameSchema, bytes: fileBytesSchema(MAX_PRESET_FILE_BYTES, '8 MiB') }),
    result: ImportResult,
  },
  /** Export the named user or built-in presets to a JSON file chosen in a dialog. */
  exportPresets: {
    args: z.strictObject({ names: z.array(PresetNameSchema).min(1).max(1000) }),
    result: z.strictObject({ path: z.string() }).nullable(),
  },
} satisfies Record<string, MethodSpec>;
