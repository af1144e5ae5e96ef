/**
 * The renderer API's session: what the workstation holds (the tracks main keeps, and the
 * page's own part: region, view, controls, mix) survives a restart, and can be saved to and
 * opened from one `.gramophone` file that holds the audio it references. Main keeps the page's
 * part as an opaque document (the page checks it field by field when it applies it), so a
 * session saved by another version opens with whatever still fits.
 */
import { z } from 'zod';
import type { MethodSpec } from '../rpc';
import { formatBytes } from '../units';
import { FileNameSchema, fileBytesSchema } from '../schemas';
import { TrackSchema } from './tracks';
import { UPLOAD_CHUNK_BYTES, UploadIdSchema } from './uploads';
import { valueDepth } from '../json-guard';

/** Largest page part of a session, as JSON characters. */
const MAX_UI_CHARS = 1024 * 1024;

/** Deepest nesting of the page's part (it travels inside a reply, which the wire encoder bounds). */
const MAX_UI_DEPTH = 32;

/**
 * The page's part of a session: plain JSON, at most 1 MiB of it and 32 levels deep. The depth
 * is checked first, without recursion, so measuring the size can never overflow the stack.
 */
export const SessionUiSchema = z.record(z.string(), z.unknown()).superRefine((ui, ctx) => {
  if (valueDepth(ui, MAX_UI_DEPTH) > MAX_UI_DEPTH) ctx.addIssue({ code: 'custom', message: `the session view nests more than ${MAX_UI_DEPTH} levels deep` });
  else if (JSON.stringify(ui).length > MAX_UI_CHARS) ctx.addIssue({ code: 'custom', message: 'the session view is larger than 1 MiB' });
});
export type SessionUi = z.infer<typeof SessionUiSchema>;

/** A session as the page receives it (at start-up, or after opening or starting one). */
export const SessionStateSchema = z.strictObject({
  /** The content, then the style, then the takes in order. */
  tracks: z.array(TrackSchema),
  ui: SessionUiSchema.nullable(),
  /** What could not be restored, in words (a corrupt session set aside, a missing file…). */
  notices: z.array(z.string()),
  /** The session file it was last saved to or opened from (its name), if any. */
  file: z.string().nullable(),
});
export type SessionState = z.infer<typeof SessionStateSchema>;

export const sessionMethods = {
  /** The session restored at start-up (waits for the restore to finish). */
  getSession: { args: z.strictObject({}), result: SessionStateSchema },
  /** Keep the page's part of the session (main writes it atomically with the tracks). */
  saveSessionUi: { args: z.strictObject({ ui: SessionUiSchema }), result: z.strictObject({}) },
  /** Save the session into one file: the one it came from, or (with `as`, or the first time) one chosen in a dialog; null if cancelled. */
  saveSession: { args: z.strictObject({ as: z.boolean() }), result: z.strictObject({ path: z.string() }).nullable() },
  /** Replace the session with one from a file chosen in an open dialog (in main); null if cancelled. */
  openSession: { args: z.strictObject({}), result: SessionStateSchema.nullable() },
  /** Replace the session with one from a small session file's bytes (dropped or picked in the page; at most one upload chunk). */
  importSession: { args: z.strictObject({ name: FileNameSchema, bytes: fileBytesSchema(UPLOAD_CHUNK_BYTES, formatBytes(UPLOAD_CHUNK_BYTES)) }), result: SessionStateSchema },
  /** Replace the session with one from a session file sent in chunks (`beginUpload`, `uploadChunk`): a file of any size. */
  openUploadedSession: { args: z.strictObject({ uploadId: UploadIdSchema }), result: SessionStateSchema },
  /** Start an empty session. */
  newSession: { args: z.strictObject({}), result: SessionStateSchema },
} satisfies Record<string, MethodSpec>;
