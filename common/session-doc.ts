/**
 * The session document (`session.json`), the one file format every session is written in:
 * the tracks main holds, by reference to audio files beside it, and the page's part. Main
 * reads and writes it (`main/session-file.ts`, `main/session-store.ts`).
 */
import { z } from 'zod';
import { RegionSchema, TakeMetricsSchema } from './audio';
import { LaneSchema, TrackIdSchema, TrackNameSchema } from './api/tracks';
import { SessionUiSchema } from './api/session';
import { JobIdSchema } from './engine-api';
import { FileNameSchema } from './schemas';

/** Most takes a session holds. */
const MAX_TAKES = 1000;

/** A file of the session, relative to its folder: `audio/` and a plain name, never a path out. */
export const AudioPathSchema = z.string().regex(/^audio\/[A-Za-z0-9][A-Za-z0-9._-]{0,120}$/, 'not a file of the session');

const InputDocSchema = z.strictObject({ id: TrackIdSchema, lane: LaneSchema, name: FileNameSchema, file: AudioPathSchema });
const TakeDocSchema = z.strictObject({
  id: TrackIdSchema,
  name: TrackNameSchema,
  file: AudioPathSchema,
  jobId: JobIdSchema,
  /** Checked (and migrated) by the preset rules when the take is restored. */
  preset: z.unknown(),
  metrics: TakeMetricsSchema,
  region: RegionSchema.optional(),
  warnings: z.array(z.string().max(500)).max(40),
  contentName: FileNameSchema,
  styleName: FileNameSchema,
  contentId: TrackIdSchema,
  exported: z.boolean(),
});

export const SessionDocSchema = z.strictObject({
  format: z.literal('gramophone-session'),
  version: z.literal(1),
  inputs: z.array(InputDocSchema).max(2),
  takes: z.array(TakeDocSchema).max(MAX_TAKES),
  ui: SessionUiSchema.nullable(),
});
export type SessionDoc = z.infer<typeof SessionDocSchema>;
export type TakeDoc = z.infer<typeof TakeDocSchema>;
