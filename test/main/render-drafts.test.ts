/**
 * Live-loop drafts in main (issue 19): a draft renders as a stream but does not join the
 * session; the last two are held so the one sounding can be kept as a take; an older one is
 * refused in words; a streaming Render asks the engine for a stream; a render is readied on
 * the engine with the lanes' files and the region.
 */
import { describe, expect, it } from 'vitest';
import { builtinPreset } from '../../common/preset';
import type { RenderRequest } from '../../common/engine-api';
import type { EngineCalls } from '../../main/engine-host';
import { renderHandlers } from '../../main/handlers/renders';
import { TrackStore } from '../../main/track-store';
import { takeMetrics } from '../fixtures/metrics';

const METRICS = takeMetrics();
const preset = builtinPreset('Timbre transfer')!;

function setup() {
  const asked: Pick<RenderRequest, 'stream' | 'region'>[] = [];
  const called: { method: string; args: unknown }[] = [];
  const engine: Pick<EngineCalls, 'render' | 'call'> = {
    render: async (req) => {
      asked.push(req);
      return { jobId: req.jobId, sampleRate: 8000, samples: new Float32Array(32000), preset, metrics: METRICS, warnings: [] };
    },
    call: (async (method: string, args: unknown) => {
      called.push({ method, args });
      return { readied: true };
    }) as EngineCalls['call'],
  };
  const tracks = new TrackStore();
  const info = (name: string) => ({ name, sampleRate: 8000, channels: 1, frames: 80000, duration: 10, format: 'PCM 16-bit', warnings: [] });
  const c = tracks.addInput('content', info('c.wav'), { name: 'c.wav', bytes: new Uint8Array(4) }, [new Float32Array(8)]);
  const s = tracks.addInput('style', info('s.wav'), { name: 's.wav', bytes: new Uint8Array(4) }, [new Float32Array(8)]);
  const h = renderHandlers({ engine, tracks });
  const signal = new AbortController().signal;
  return { h, tracks, asked, called, ids: { contentId: c.id, styleId: s.id }, signal };
}

describe('render drafts', () => {
  it('a draft streams without joining the session, and the one kept becomes a take', async () => {
    const { h, tracks, asked, ids, signal } = setup();
    const region = { start: 2, end: 6 };
    for (const jobId of ['d1', 'd2', 'd3']) expect(await h.renderDraft({ jobId, ...ids, preset, region }, { signal })).toEqual({ jobId, seconds: 4 });
    expect(asked.every((r) => r.stream && r.region?.start === 2)).toBe(true);
    expect(tracks.takes()).toHaveLength(0);
    await expect(Promise.resolve().then(() => h.keepDraft({ jobId: 'd1' }, { signal }))).rejects.toThrow(/no longer held/);
    const kept = await h.keepDraft({ jobId: 'd3' }, { signal });
    expect(kept).toMatchObject({ kind: 'take', take: { jobId: 'd3', region } });
    expect(kept.info.name).toMatch(/Live - Timbre transfer/);
    expect(tracks.takes()).toHaveLength(1);
    await expect(
      Promise.resolve().then(() => h.keepDraft({ jobId: 'd3' }, { signal })),
      'kept once',
    ).rejects.toThrow(/no longer held/);
  });

  it('a streaming Render asks the engine for a stream; a plain one does not', async () => {
    const { h, asked, ids, signal } = setup();
    await h.render({ jobId: 'r1', ...ids, preset, stream: { from: 3 } }, { signal });
    await h.render({ jobId: 'r2', ...ids, preset }, { signal });
    expect(asked.map((r) => r.stream)).toEqual([{ from: 3 }, undefined]);
  });

  it('readying a render sends the files on the lanes, the region and the preset to the engine, and refuses a track it does not hold', async () => {
    const { h, called, ids, signal } = setup();
    expect(await h.readyRender({ styleId: ids.styleId, preset }, { signal })).toEqual({ readied: true });
    expect(await h.readyRender({ styleId: ids.styleId, contentId: ids.contentId, region: { start: 1, end: 2 }, preset }, { signal })).toEqual({ readied: true });
    expect(called).toEqual([
      { method: 'readyRender', args: { style: { name: 's.wav', bytes: new Uint8Array(4) }, preset } },
      { method: 'readyRender', args: { style: { name: 's.wav', bytes: new Uint8Array(4) }, content: { name: 'c.wav', bytes: new Uint8Array(4) }, region: { start: 1, end: 2 }, preset } },
    ]);
    await expect(Promise.resolve().then(() => h.readyRender({ styleId: 'no-such-track', preset }, { signal }))).rejects.toThrow();
  });
});
