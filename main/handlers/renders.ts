/**
 * Handlers for the renderer API's renders (`common/api/renders.ts`): the inputs' original
 * files (bytes, or the path of an upload) go to the engine, the finished take joins the track store. Progress reaches the
 * renderer as events straight from the engine host; cancelling is aborting the call.
 */
import type { MethodHandlers } from '../../common/rpc';
import type { renderMethods } from '../../common/api/renders';
import type { EngineCalls } from '../engine-host';
import { toTrack, type TrackStore } from '../track-store';

export function renderHandlers({ engine, tracks }: { engine: Pick<EngineCalls, 'render'>; tracks: TrackStore }): MethodHandlers<typeof renderMethods> {
  return {
    async render({ jobId, contentId, styleId, preset, region, name }, { signal }) {
      const c = tracks.input(contentId, 'content');
      const s = tracks.input(styleId, 'style');
      const content = { ...c.file, name: c.info.name };
      const style = { ...s.file, name: s.info.name };
      const result = await engine.render({ jobId, content, style, preset, region }, { signal });
      return toTrack(tracks.addTake(result, { region, content: { id: c.id, name: c.info.name }, styleName: s.info.name, loudness: result.loudness, name }));
    },
  };
}
