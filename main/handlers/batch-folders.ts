/**
 * Handlers for the renderer API's batch folders (`common/api/batch-folders.ts`): the folder
 * is chosen (by path, or with the shell's folder dialog), read by `readBatchFolder`, and its
 * takes join the track store like rendered ones.
 */
import path from 'node:path';
import type { MethodHandlers } from '../../common/rpc';
import type { batchFolderMethods } from '../../common/api/batch-folders';
import { GramophoneError } from '../../common/errors';
import type { EngineCalls } from '../engine-host';
import type { Dialogs } from '../dialogs';
import { readBatchFolder } from '../batch-folder';
import { toTrack, type TrackStore } from '../track-store';

export function batchFolderHandlers({ engine, tracks, dialogs }: { engine: Pick<EngineCalls, 'call'>; tracks: TrackStore; dialogs: Dialogs }): MethodHandlers<typeof batchFolderMethods> {
  return {
    async openBatchFolder({ path: given }) {
      let dir: string | null;
      if (given) {
        if (!dialogs.folderBase && !path.isAbsolute(given)) throw new GramophoneError('INVALID_INPUT', `"${given}" is not a full path to a folder.`);
        dir = path.resolve(dialogs.folderBase ?? '/', given);
      } else if (dialogs.folderBase) {
        throw new GramophoneError('INVALID_INPUT', `Type the batch folder's path: a folder inside ${dialogs.folderBase}, or a full path.`);
      } else {
        dir = await dialogs.chooseFolder({ title: 'Open a batch folder (made by gramophone batch)' });
      }
      if (!dir) return null;
      const { takes, notices } = await readBatchFolder(dir, async (name, bytes) => engine.call('decode', { name, bytes }));
      const added = takes.map((t, i) => {
        const entry = tracks.addTake(
          { jobId: `batch-${i + 1}`, sampleRate: t.info.sampleRate, samples: t.samples, preset: t.preset, metrics: t.metrics, warnings: t.warnings },
          // Not a loaded track's id: a batch take is not blended with whatever content is loaded.
          { content: { id: 'batch-content', name: t.contentName }, styleName: t.styleName, loudness: t.info.loudness, name: t.label },
        );
        return { label: t.label, track: toTrack(entry) };
      });
      return { folder: dir, takes: added, notices };
    },
  };
}
