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
import { canDecodeInPage, decodeToWav } from '../audio/page-decode';

/** What the page knows of a file: a DOM `File` (or `Blob` with a name) is one. */
export interface PageFile {
  name: string;
  /** Bytes. */
  size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

type UploadApi = Pick<GramophoneBridge, 'importAudio' | 'beginUpload' | 'uploadChunk' | 'finishUpload' | 'cancelUpload'>;

/**
 * Put `file` on `lane` through main. A file the engine refuses as a format it does not
 * decode (M4A/AAC/ALAC) is decoded here by the browser and sent again as a float WAV under
 * its own name.
 * @throws GramophoneError INVALID_INPUT, before sending anything, for an empty file or one
 *   over the engine's limit; whatever main answers otherwise (an unfinished upload is
 *   cancelled, so main deletes what it received), with the browser's reason added when it
 *   could not decode a refused file either
 */
export async function uploadAudio(api: UploadApi, lane: Lane, file: PageFile): Promise<Track> {
  try {
    return await sendFile(api, lane, file);
  } catch (e) {
    if (!(e instanceof GramophoneError) || e.code !== 'UNSUPPORTED_AUDIO' || !canDecodeInPage()) throw e;
    let wav: Uint8Array;
    try {
      wav = await decodeToWav(new Uint8Array(await file.slice(0, file.size).arrayBuffer()));
    } catch (why) {
      throw new GramophoneError('UNSUPPORTED_AUDIO', `${e.message.replace(/\.$/, '')}; this browser could not decode it either (${why instanceof Error ? why.message : String(why)}).`);
    }
    const name = file.name;
    return sendFile(api, lane, { name, size: wav.length, slice: (start, end) => ({ arrayBuffer: async () => wav.slice(start, end).buffer }) });
  }
}

async function sendFile(api: UploadApi, lane: Lane, file: PageFile): Promise<Track> {
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
