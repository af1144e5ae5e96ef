/** The renderer API's batch folders: a folder made by `gramophone batch` opened as a grid of takes. */
import { z } from 'zod';
import type { MethodSpec } from '../rpc';
import { TrackSchema } from './tracks';

export const batchFolderMethods = {
  /**
   * Open a batch folder (its results.jsonl and the takes it lists) as takes on the lanes.
   * `path` is the folder (relative paths are inside the export folder, in the browser); without
   * it the app asks with a folder dialog, where it has one. Resolves with the new take tracks,
   * each with the file name the batch gave it, and notices for what was left out.
   */
  openBatchFolder: {
    args: z.strictObject({ path: z.string().trim().min(1).max(4096).optional() }),
    result: z.union([
      z.null(),
      z.strictObject({
        folder: z.string(),
        takes: z.array(z.strictObject({ label: z.string(), track: TrackSchema })),
        notices: z.array(z.string()),
      }),
    ]),
  },
} satisfies Record<string, MethodSpec>;
