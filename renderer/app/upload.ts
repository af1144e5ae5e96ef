/**
 * Sending a file the page holds (dropped or picked) to main: its size is checked here, before
 * a byte is sent; a small file goes in one message, a larger one in chunks of the size main
 * asks for, so no message is ever larger than a chunk (common/api/uploads.ts).
 */
import type { GramophoneBridge, Lane, Track } from '../../common/contract';
import { MAX_AUDIO_BYTES } from '../../common/engine-api';
import { GramophoneError } from '../../common/errors';
import { UPLOAD_CHUNK_BYTES } from '../../common/api/uploads';
import { formatBytes, formatBytesOver } from '../../common/units';

/** What the page knows of a file: a DOM `File` (or `Blob` with a name) is one. */
export interface PageFile {
  name: string;
  /** Bytes. */
  size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

type UploadApi = Pick<GramophoneBridge, 'importAudio' | 'beginUpload' | 'uploadChunk' | 'finishUpload' | 'cancelUpload'>;

/**
 * Put `file` on `lane` through main.
 * @throws GramophoneError INVALID_INPUT, before sending anything, for an empty file or one
 *   over the engine's limit; whatever main answers otherwise (an unfinished upload is
 *   cancelled, so main deletes what it received)
 */
export async function uploadAudio(api: UploadApi, lane: Lane, file: PageFile): Promise<Track> {
  const name = file.name.slice(0, 255) || 'untitled.wav';
  if (file.size === 0) throw new GramophoneError('INVALID_INPUT', `"${name}" is empty.`);
  if (file.size > MAX_AUDIO_BYTES) {
    throw new GramophoneError('INVALID_INPUT', `"${name}" is ${formatBytesOver(file.size, MAX_AUDIO_BYTES)}, over the ${formatBytes(MAX_AUDIO_BYTES)} limit; nothing was sent.`);
  }
  if (file.size <= UPLOAD_CHUNK_BYTES) return api.importAudio({ lane, name, bytes: await bytesOf(file, 0, file.size) });
  const uploadId = await sendChunks(api, name, file);
  return api.finishUpload({ uploadId, lane });
}

const bytesOf = async (file: PageFile, start: number, end: number) => new Uint8Array(await file.slice(start, end).arrayBuffer());

/**
 * Send every byte of `file` to main in chunks (any file: audio, a session), ready for the
 * call that uses it.
 * @returns the upload's id
 * @throws whatever main answers (the upload is then cancelled, so main deletes what it received)
 */
export async function sendChunks(api: Pick<UploadApi, 'beginUpload' | 'uploadChunk' | 'cancelUpload'>, name: string, file: PageFile): Promise<string> {
  const { uploadId, chunkBytes } = await api.beginUpload({ name, size: file.size });
  try {
    const step = Math.min(chunkBytes, UPLOAD_CHUNK_BYTES);
    for (let at = 0; at < file.size; at += step) {
      await api.uploadChunk({ uploadId, offset: at, bytes: await bytesOf(file, at, Math.min(file.size, at + step)) });
    }
  } catch (e) {
    await api.cancelUpload({ uploadId }).catch(() => undefined);
    throw e;
  }
  return uploadId;
}
