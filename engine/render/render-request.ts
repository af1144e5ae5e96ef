/**
 * What the engine process and the command line run for a request: its files decoded once
 * (./prepare.ts), then the job rendered whole or in segments (./chunked.ts).
 */
import type { TakeResult } from '../../common/audio';
import type { RenderRequest } from '../../common/engine-api';
import { renderChunked, type ChunkOptions } from './chunked';
import { prepareRender } from './prepare';
import type { RenderHooks } from './render';

/**
 * Decode a request's files and render them.
 * @throws GramophoneError as `prepareRender` and `renderChunked`
 */
export async function renderRequest(req: RenderRequest, hooks: RenderHooks = {}, options: ChunkOptions = {}): Promise<TakeResult> {
  hooks.onProgress?.({ jobId: req.jobId, phase: 'decode', iteration: 0, total: 0, elapsed: 0 });
  const job = await prepareRender(req);
  return renderChunked(job, hooks, options);
}
