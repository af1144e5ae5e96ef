/**
 * Handlers for the renderer API's uploads (`common/api/uploads.ts`): a small file in one
 * message, a large one in chunks written to the upload store's folder. Either way the file
 * is decoded by the engine and put on a lane; an uploaded file is handed to the engine by
 * path, and deleted when it cannot be loaded or its track leaves (the shell wires that).
 */
import type { MethodHandlers } from '../../common/rpc';
import type { uploadMethods } from '../../common/api/uploads';
import type { EngineCalls } from '../engine-host';
import type { TrackStore } from '../track-store';
import type { UploadStore } from '../upload-store';
import { loadInput } from './tracks';

export function uploadHandlers({ engine, tracks, uploads }: { engine: EngineCalls; tracks: TrackStore; uploads: UploadStore }): MethodHandlers<typeof uploadMethods> {
  return {
    importAudio: ({ lane, name, bytes }) => loadInput(engine, tracks, lane, { name, bytes }),
    beginUpload: ({ name, size }) => uploads.begin(name, size),
    uploadChunk: async ({ uploadId, offset, bytes }) => ({ received: await uploads.chunk(uploadId, offset, bytes) }),
    async finishUpload({ uploadId, lane }) {
      const { path, name } = await uploads.finish(uploadId);
      try {
        return await loadInput(engine, tracks, lane, { name, path });
      } catch (e) {
        uploads.discard(path);
        throw e;
      }
    },
    cancelUpload: async ({ uploadId }) => ({ cancelled: await uploads.cancel(uploadId) }),
  };
}
