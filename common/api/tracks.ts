/**
 * The renderer API's tracks: inputs on the content and style lanes and rendered takes, which
 * main holds (audio stays there; the renderer fetches it to play or draw).
 */
import { z } from 'zod';
import type { MethodSpec } from '../rpc';
import { PresetSchema } from '../preset';
import { AudioInfoSchema, RegionSchema, SpectrogramSchema, TakeMetricsSchema } from '../audio';
import { JobIdSchema } from '../engine-api';
import { FileNameSchema, float32ArraySchema, idSchema, stftShapeFields } from '../schemas';
import { NoteEventSchema } from '../notes';

export const TrackIdSchema = idSchema('track id');
export const LaneSchema = z.enum(['content', 'style']);
export type Lane = z.infer<typeof LaneSchema>;

/** A track's name as a person gives it (a take's can be renamed). */
export const TrackNameSchema = z.string().trim().min(1).max(200);

/** A track main holds: an input on a lane, or a rendered take. */
export const TrackSchema = z.strictObject({
  id: TrackIdSchema,
  kind: z.enum(['content', 'style', 'take']),
  info: AudioInfoSchema,
  /** For takes: how it was made and what it measured. */
  take: z
    .strictObject({
      jobId: JobIdSchema,
      preset: PresetSchema,
      metrics: TakeMetricsSchema,
      region: RegionSchema.optional(),
      warnings: z.array(z.string()),
      /** The files that made it (names as loaded), and the content track's id while it is loaded. */
      contentName: FileNameSchema,
      styleName: FileNameSchema,
      contentId: TrackIdSchema,
      /** Exported as a stem or saved in a session file since it was rendered. */
      exported: z.boolean(),
    })
    .optional(),
});
export type Track = z.infer<typeof TrackSchema>;

export const trackMethods = {
  /** Load the bundled demo pair onto the content and style lanes. */
  loadDemo: { args: z.strictObject({}), result: z.strictObject({ content: TrackSchema, style: TrackSchema }) },
  /** Show an open dialog (in main) and load the chosen file onto a lane; null if cancelled. */
  openAudio: { args: z.strictObject({ lane: LaneSchema }), result: TrackSchema.nullable() },
  /** Float channels of a track for playback and waveforms. */
  getAudio: {
    args: z.strictObject({ trackId: TrackIdSchema }),
    result: z.strictObject({ sampleRate: z.number().int().positive(), channels: z.array(float32ArraySchema()) }),
  },
  /** A display spectrogram of a track (mono mix), computed by the engine's STFT. */
  getSpectrogram: {
    args: z.strictObject({
      trackId: TrackIdSchema,
      ...stftShapeFields(256, 8192),
      maxFrames: z.number().int().min(16).max(100000).optional(),
      /** Only this stretch of the track, in seconds from its start (a zoomed-in view). */
      range: z
        .strictObject({ start: z.number().min(0), end: z.number().min(0) })
        .refine((r) => r.end > r.start, 'range end must be after its start')
        .optional(),
    }),
    result: SpectrogramSchema,
  },
  /**
   * The notes the engine's transcriber hears in a track (its mono mix), for the piano-roll
   * overlay; computed once per track and kept.
   */
  getNotes: { args: z.strictObject({ trackId: TrackIdSchema }), result: z.strictObject({ notes: z.array(NoteEventSchema) }) },
  /**
   * Every track main holds, for a renderer that starts (or restarts after a reload or a
   * crash) to restore its lanes: the content, then the style, then the takes in render order.
   */
  listTracks: { args: z.strictObject({}), result: z.strictObject({ tracks: z.array(TrackSchema) }) },
  /** Remove a track; a removed take is kept aside until the session closes, so `restoreTrack` can bring it back (undo). */
  removeTrack: { args: z.strictObject({ trackId: TrackIdSchema }), result: z.strictObject({ removed: z.boolean() }) },
  /** Put a removed take back where it was. */
  restoreTrack: { args: z.strictObject({ trackId: TrackIdSchema }), result: TrackSchema },
  /** Rename a take (its lane, its exported file's name). */
  renameTrack: { args: z.strictObject({ trackId: TrackIdSchema, name: TrackNameSchema }), result: TrackSchema },
} satisfies Record<string, MethodSpec>;
