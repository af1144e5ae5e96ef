/**
 * The renderer API's uploads: how a page hands main an audio file it holds (a dropped or
 * picked file; the page has no path to give). A small file goes in one message
 * (`importAudio`); a larger one in chunks: `beginUpload` with the file's size (refused at
 * once if it is over the limit), `uploadChunk` in order, then `finishUpload` puts it on a
 * lane. Main writes the chunks straight to a file in its data folder and keeps that one
 * copy; no message on any transport is ever larger than a chunk.
 */
import { z } from 'zod';
import type { MethodSpec } from '../rpc';
import { MAX_AUDIO_BYTES } from '../engine-api';
import { formatBytes } from '../units';
import { FileNameSchema, fileBytesSchema, idSchema } from '../schemas';
import { LaneSchema, TrackSchema } from './tracks';

/** Most bytes in one `uploadChunk`. */
export const UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024;

export const UploadIdSchema = idSchema('upload id');

const ChunkBytesSchema = fileBytesSchema(UPLOAD_CHUNK_BYTES, formatBytes(UPLOAD_CHUNK_BYTES));

export const uploadMethods = {
  /** Load a small file (at most one chunk) onto a lane in one message. */
  importAudio: {
    args: z.strictObject({ lane: LaneSchema, name: FileNameSchema, bytes: ChunkBytesSchema }),
    result: TrackSchema,
  },
  /** Start sending a file of `size` bytes. */
  beginUpload: {
    args: z.strictObject({
      name: FileNameSchema,
      size: z
        .number()
        .int()
        .min(1, 'the file is empty')
        .max(MAX_AUDIO_BYTES, `the file is larger than the ${formatBytes(MAX_AUDIO_BYTES)} limit`),
    }),
    result: z.strictObject({ uploadId: UploadIdSchema, chunkBytes: z.number().int().positive() }),
  },
  /** The next chunk: `offset` is the number of bytes sent before it. */
  uploadChunk: {
    args: z.strictObject({ uploadId: UploadIdSchema, offset: z.number().int().min(0), bytes: ChunkBytesSchema }),
    result: z.strictObject({ received: z.number().int().min(0) }),
  },
  /** Every byte is in: decode the file and put it on `lane` (the new track). */
  finishUpload: { args: z.strictObject({ uploadId: UploadIdSchema, lane: LaneSchema }), result: TrackSchema },
  /** Give up an upload; what was sent is deleted. */
  cancelUpload: { args: z.strictObject({ uploadId: UploadIdSchema }), result: z.strictObject({ cancelled: z.boolean() }) },
} satisfies Record<string, MethodSpec>;
