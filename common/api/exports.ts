/** The renderer API's exports: takes written as WAV stems. */
import { z } from 'zod';
import type { MethodSpec } from '../rpc';
import { ExportFormatSchema } from '../audio';
import { TrackIdSchema } from './tracks';

/** A take exported as heard with its dry/wet control: mixed with the content that made it. */
const TakeBlendSchema = z.strictObject({
  trackId: TrackIdSchema,
  /** 0 = all content, 1 = all take. */
  wet: z.number().min(0).max(1),
  /** The content's gain relative to the take's (what loudness matching applies), linear. */
  dryGain: z.number().min(0).max(1000),
});

export const exportMethods = {
  /**
   * Export takes as WAV stems: one file via a save dialog, several into a chosen folder; null
   * if cancelled. Takes named in `blends` are written blended with their content.
   */
  exportTakes: {
    args: z.strictObject({ trackIds: z.array(TrackIdSchema).min(1).max(256), format: ExportFormatSchema, blends: z.array(TakeBlendSchema).max(256).optional() }),
    result: z.strictObject({ paths: z.array(z.string()) }).nullable(),
  },
  /**
   * "Export notes as MIDI": the notes heard in the given tracks (lanes, in order) as one
   * Standard MIDI File, one track per lane, via a save dialog; null if cancelled.
   */
  exportNotes: {
    args: z.strictObject({ trackIds: z.array(TrackIdSchema).min(1).max(15) }),
    result: z.strictObject({ path: z.string() }).nullable(),
  },
} satisfies Record<string, MethodSpec>;
