/**
 * What the engine process and the command line run for a request: its files decoded once
 * (./prepare.ts), then the job rendered whole or in segments (./chunked.ts).
 */
import type { TakeChunk, TakeResult } from '../../common/audio';
import { GramophoneError } from '../../common/errors';
import type { RenderRequest } from '../../common/engine-api';
import { renderChunked, type ChunkOptions } from './chunked';
import { prepareRender } from './prepare';
import type { RenderHooks } from './render';
import { renderStream } from './stream';
import type { SegmentAhead } from './run-segments';

/** What a streaming request needs beyond a whole render's options. */
export interface StreamHandling {
  /** Transcriptions kept between renders (render/notes-cache.ts). */
  hear?: RenderHooks['hear'];
  /** Told each final stretch of a streaming take; a request with `stream` and no listener is refused. */
  onChunk?: (chunk: TakeChunk) => void;
  /** A streaming take's first segment, if it was rendered ahead (render/ahead.ts). */
  ahead?: SegmentAhead;
}

/**
 * Decode a request's files and render them.
 * @throws GramophoneError as `prepareRender` and `renderChunked`
 */
export async function renderRequest(req: RenderRequest, hooks: RenderHooks = {}, options: ChunkOptions & StreamHandling = {}): Promise<TakeResult> {
  hooks.onProgress?.({ jobId: req.jobId, phase: 'decode', iteration: 0, total: 0, elapsed: 0 });
  const job = await prepareRender(req);
  if (req.stream) {
    if (!options.onChunk) throw new GramophoneError('INVALID_INPUT', 'A streaming render needs somewhere to send its segments');
    return renderStream(job, hooks, { onChunk: options.onChunk, hear: options.hear, ahead: options.ahead, ...req.stream });
  }
  return renderChunked(job, hooks, options);
}
