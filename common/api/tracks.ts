/**
 * The renderer API's tracks: inputs on the content and style lanes and rendered takes, which
 * main holds (audio stays there; the renderer fetches it to play or draw).
 */
import { z } from 'zod';
import type { MethodSpec } from '../rpc';
import { PresetSchema } from '../preset';
import { AudioInfoSchema, RegionSchema, SpectrogramSchema, TakeMetricsSchema } from '../audio';
import { JobIdSchema } from '../engine-api';
import { float32ArraySchema, idSchema } from '../schemas';

export const TrackIdSchema = idSchema('track id');
export const LaneSchema = z.enum(['content', 'style']);
export type Lane = z.infer<typeof LaneSchema>;

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
      nFft: z
        .number()
        .int()
        .min(256)
        .max(8192)
        .refine((n) => (n & (n - 1)) === 0, 'nFft must be a power of two'),
      hop: z.number().int().min(32).max(8192),
      maxFrames: z.number().int().min(16).max(100000).optional(),
    }),
    result: SpectrogramSchema,
  },
  /**
   * Every track main holds, for a renderer that starts (or restarts after a reload or a
   * crash) to restore its lanes: the content, then the style, then the takes in render order.
   */
  listTracks: { args: z.strictObject({}), result: z.strictObject({ tracks: z.array(TrackSchema) }) },
  removeTrack: { args: z.strictObject({ trackId: TrackIdSchema }), result: z.strictObject({ removed: z.boolean() }) },
} satisfies Record<string, MethodSpec>;
