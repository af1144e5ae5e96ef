/** The renderer API's exports: takes written as WAV stems. */
import { z } from 'zod';
import type { MethodSpec } from '../rpc';
import { ExportFormatSchema } from '../audio';
import { TrackIdSchema } from './tracks';

export const exportMethods = {
  /** Export takes as WAV stems: one file via a save dialog, several into a chosen folder; null if cancelled. */
  exportTakes: {
    args: z.strictObject({ trackIds: z.array(TrackIdSchema).min(1).max(256), format: ExportFormatSchema }),
    result: z.strictObject({ paths: z.array(z.string()) }).nullable(),
  },
} satisfies Record<string, MethodSpec>;
