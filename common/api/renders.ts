/** The renderer API's renders: a take from the content and style tracks with a preset. */
import { z } from 'zod';
import type { MethodSpec } from '../rpc';
import { PresetSchema } from '../preset';
import { RegionSchema, RenderProgressSchema, TakeChunkSchema } from '../audio';
import { JobIdSchema } from '../engine-api';
import { TrackIdSchema, TrackSchema } from './tracks';

export const renderMethods = {
  /**
   * Render a take; resolves with the new take track. Progress arrives as `renderProgress`
   * events carrying `jobId`. Aborting the call cancels the render (it rejects with CANCELLED).
   * Renders made at once run in parallel on main's pool of engine processes.
   */
  render: {
    args: z.strictObject({
      jobId: JobIdSchema,
      contentId: TrackIdSchema,
      styleId: TrackIdSchema,
      preset: PresetSchema,
      region: RegionSchema.optional(),
      /** The take's name (a grid names each take by what differs); "Take N - <preset>" when missing. */
      name: z.string().trim().min(1).max(200).optional(),
      /**
       * Stream it: the take's samples arrive as `renderChunk` events in playback order while it
       * renders, from `from` seconds into the content (the playhead) when given, the part
       * before it last.
       */
      stream: z.strictObject({ from: z.number().min(0).optional() }).optional(),
    }),
    result: TrackSchema,
  },
  /**
   * A live-loop draft: the region rendered as a stream (`renderChunk` events carry all its
   * samples), not added to the session. Main holds the last few drafts so one can be kept.
   * Aborting the call cancels it.
   */
  renderDraft: {
    args: z.strictObject({ jobId: JobIdSchema, contentId: TrackIdSchema, styleId: TrackIdSchema, preset: PresetSchema, region: RegionSchema }),
    result: z.strictObject({ jobId: JobIdSchema, seconds: z.number().nonnegative() }),
  },
  /**
   * Ready the next render of this style with this preset while the musician sets up (the
   * engine transcribes the style and tracks its notes now; given the content and the region,
   * it also renders the take's first segment now), so a take's first sound comes sooner.
   * Resolves with whether anything was readied; a style or content that cannot be rendered
   * rejects as its render would.
   */
  readyRender: {
    args: z.strictObject({ styleId: TrackIdSchema, preset: PresetSchema, contentId: TrackIdSchema.optional(), region: RegionSchema.optional() }),
    result: z.strictObject({ readied: z.boolean() }),
  },
  /** Keep a draft made by `renderDraft` as a take; INVALID_INPUT when it is no longer held. */
  keepDraft: {
    args: z.strictObject({ jobId: JobIdSchema, name: z.string().trim().min(1).max(200).optional() }),
    result: TrackSchema,
  },
} satisfies Record<string, MethodSpec>;

export const renderEvents = {
  renderProgress: RenderProgressSchema,
  /** A final stretch of a streaming render's or a draft's take, straight from the engine. */
  renderChunk: TakeChunkSchema,
};
