/**
 * Handlers for the renderer API's presets (`common/api/presets.ts`). Whatever way a preset
 * file comes in (main's open dialog, or bytes from the page), it goes through the preset
 * store's one import, with its one rule for names that clash.
 */
import path from 'node:path';
import type { MethodHandlers } from '../../common/rpc';
import { MAX_PRESET_FILE_BYTES, type presetMethods } from '../../common/api/presets';
import { GramophoneError } from '../../common/errors';
import { PRESET_FILE } from '../../common/file-types';
import { askSaveTarget, type Dialogs } from '../dialogs';
import type { FileAccess } from '../file-access';
import type { PresetStore } from '../preset-store';

/** The text of a presets file, refused in words when it is not UTF-8. */
function presetText(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new GramophoneError('INVALID_INPUT', `"${name}" is not a text (JSON) file.`);
  }
}

export function presetHandlers({ presets, dialogs, files }: { presets: PresetStore; dialogs: Dialogs; files: FileAccess }): MethodHandlers<typeof presetMethods> {
  return {
    listPresets: () => ({ builtin: presets.builtin(), user: presets.user(), notices: [...presets.notices] }),
    savePreset: ({ preset, overwrite }) => ({ user: presets.save(preset, overwrite ?? false) }),
    renamePreset: ({ from, to }) => ({ user: presets.rename(from, to) }),
    deletePreset: ({ name }) => presets.delete(name),
    async openPresets() {
      const file = await dialogs.openFile({ title: 'Import presets', type: PRESET_FILE });
      if (!file) return null;
      const name = path.basename(file);
      return presets.importJson(presetText(await files.read(file, MAX_PRESET_FILE_BYTES), name), name);
    },
    importPresets: ({ name, bytes }) => presets.importJson(presetText(bytes, name), name),
    async exportPresets({ names }) {
      const body = new TextEncoder().encode(presets.exportJson(names));
      const defaultName = names.length === 1 ? `${names[0]}.json` : 'Gramophone presets.json';
      const target = await askSaveTarget(dialogs, files, { title: 'Export presets', defaultName, type: PRESET_FILE });
      if (!target) return null;
      await files.writeAtomic(target, body);
      return { path: target };
    },
  };
}
