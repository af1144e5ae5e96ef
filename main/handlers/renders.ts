/**
 * Handlers for the renderer API's renders (`common/api/renders.ts`): the inputs' original
 * files (bytes, or the path of an upload) go to the engine, the finished take joins the track
 * store. Progress, and a streaming take's chunks, reach the renderer as events straight from
 * the engine host (one crossing each way, never re-encoded); cancelling is aborting the call.
 * Live-loop drafts are held here, the last DRAFTS_HELD of them, until one is kept or replaced.
 * A render can be readied ahead: the style transcribed, and the take's first segment rendered,
 * on the engine the next render goes to.
 */
import type { MethodHandlers } from '../../common/rpc';
import type { renderMethods } from '../../common/api/renders';
import type { RenderRequest } from '../../common/engine-api';
import type { Region, TakeResult } from '../../common/audio';
import { GramophoneError } from '../../common/errors';
import type { EngineCalls } from '../engine-host';
import { toTrack, type TrackStore } from '../track-store';

/** Drafts held for a keep: the one sounding and the one about to swap in. */
const DRAFTS_HELD = 2;

type Draft = { result: TakeResult; region: Region; content: { id: string; name: string }; styleName: string };

export function renderHandlers({ engine, tracks }: { engine: Pick<EngineCalls, 'render' | 'call'>; tracks: TrackStore }): MethodHandlers<typeof renderMethods> {
  const drafts = new Map<string, Draft>();
  const inputs = (contentId: string, styleId: string) => {
    const c = tracks.input(contentId, 'content');
    const s = tracks.input(styleId, 'style');
    const content: RenderRequest['content'] = { ...c.file, name: c.info.name };
    const style: RenderRequest['style'] = { ...s.file, name: s.info.name };
    return { c, s, content, style };
  };
  return {
    async render({ jobId, contentId, styleId, preset, region, name, stream }, { signal }) {
      const { c, s, content, style } = inputs(contentId, styleId);
      const result = await engine.render({ jobId, content, style, preset, region, ...(stream ? { stream } : {}) }, { signal });
      return toTrack(tracks.addTake(result, { region, content: { id: c.id, name: c.info.name }, styleName: s.info.name, loudness: result.loudness, name }));
    },
    async renderDraft({ jobId, contentId, styleId, preset, region }, { signal }) {
      const { c, s, content, style } = inputs(contentId, styleId);
      // A loop's region is short: one segment renders it with no overlaps to pay for.
      const result = await engine.render({ jobId, content, style, preset, region, stream: { firstSeconds: 60 } }, { signal });
      drafts.set(jobId, { result, region, content: { id: c.id, name: c.info.name }, styleName: s.info.name });
      while (drafts.size > DRAFTS_HELD) drafts.delete(drafts.keys().next().value as string);
      return { jobId, seconds: result.samples.length / result.sampleRate };
    },
    readyRender({ styleId, preset, contentId, region }, { signal }) {
      const s = tracks.input(styleId, 'style');
      const c = contentId ? tracks.input(contentId, 'content') : null;
      // On the engine the next render goes to first (main/render-pool.ts).
      return engine.call('readyRender', { style: { ...s.file, name: s.info.name }, preset, ...(c ? { content: { ...c.file, name: c.info.name } } : {}), ...(region ? { region } : {}) }, { signal });
    },
    keepDraft({ jobId, name }) {
      const d = drafts.get(jobId);
      if (!d) throw new GramophoneError('INVALID_INPUT', 'That live version is no longer held: keep the one sounding now.');
      drafts.delete(jobId);
      return toTrack(tracks.addTake(d.result, { region: d.region, content: d.content, styleName: d.styleName, loudness: d.result.loudness, name: name ?? `Live - ${d.result.preset.name}` }));
    },
  };
}
