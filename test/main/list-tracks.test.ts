/**
 * listTracks: what a restarting renderer restores from. Handlers on an in-process fake
 * engine (no child process): inputs, replaced inputs, takes with their preset, metrics and
 * region, and removal all show up, in lane order, and the result satisfies the contract.
 */
import { perTerm } from '../../common/loss-terms';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dispatch } from '../../common/rpc';
import { rendererApi, type Track } from '../../common/contract';
import { BUILTIN_PRESETS, PresetSchema } from '../../common/preset';
import type { TakeMetrics } from '../../common/audio';
import type { EngineCalls } from '../../main/engine-host';
import { trackHandlers } from '../../main/handlers/tracks';
import { renderHandlers } from '../../main/handlers/renders';
import { uploadHandlers } from '../../main/handlers/uploads';
import { UploadStore } from '../../main/upload-store';
import { TrackStore } from '../../main/track-store';
import { HeadlessDialogs } from '../../main/dialogs';
import { nodeFileAccess } from '../../main/file-access';
import { DEMO_DIR, wav16 } from './helpers/shell-fixture';

const METRICS: TakeMetrics = {
  backend: 'fake',
  iterations: 7,
  initialLoss: 2,
  finalLoss: 0.5,
  initialTerms: { ...perTerm(() => 0), content: 0, style: 1, energy: 0.5, timbre: 0.5 },
  finalTerms: { ...perTerm(() => 0), content: 0.1, style: 0.2, energy: 0.1, timbre: 0.1 },
  styleLossRatio: 0.2,
  stopReason: 'iterations',
  termErrors: { ...perTerm(() => 0), content: 0.3, style: 0, energy: 0.1, timbre: 0.1 },
  spectralConvergence: 0.1,
  spectralConvergenceDb: -20,
  peakDb: -1,
  seconds: { analyse: 0.1, optimise: 1, reconstruct: 0.2, total: 1.3 },
};

/** An engine that decodes by byte count and renders a second of silence per job. */
function fakeEngine(): EngineCalls {
  return {
    status: { state: 'ready' },
    async call(method: string, args: unknown) {
      if (method !== 'decode') throw new Error(`unexpected ${method}`);
      const { name, bytes } = args as { name: string; bytes: Uint8Array };
      const frames = Math.max(1, (bytes.length - 44) >> 1);
      const info = { name, sampleRate: 8000, channels: 1, frames, duration: frames / 8000, format: 'PCM 16-bit', warnings: [] };
      return { info, channels: [new Float32Array(frames)] } as never;
    },
    async render(args: { jobId: string; preset: (typeof BUILTIN_PRESETS)[number] }) {
      return { jobId: args.jobId, sampleRate: 8000, samples: new Float32Array(8000), preset: PresetSchema.parse(args.preset), metrics: METRICS, warnings: ['w'], loudness: { lufs: -20, peak: 0.5 } };
    },
  } as EngineCalls;
}

function setup() {
  const engine = fakeEngine();
  const tracks = new TrackStore();
  const dialogs = new HeadlessDialogs('/nonexistent');
  const uploads = new UploadStore({ dir: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-list-')), 'uploads') });
  const handlers = {
    ...trackHandlers({ engine, tracks, dialogs, files: nodeFileAccess(), demoDir: DEMO_DIR }),
    ...uploadHandlers({ engine, tracks, uploads }),
    ...renderHandlers({ engine, tracks }),
  };
  const call = async <T>(method: string, args: unknown): Promise<T> => {
    const r = await dispatch(rendererApi, handlers as never, method, args);
    if (!r.ok) throw new Error(r.error.message);
    // What crosses to the renderer must satisfy the contract's result schema.
    const spec = rendererApi.methods[method as keyof typeof rendererApi.methods];
    return spec.result.parse(r.value) as T;
  };
  return { call, tracks };
}

describe('listTracks', () => {
  it('is empty before anything is loaded', async () => {
    const { call } = setup();
    expect(await call('listTracks', {})).toEqual({ tracks: [] });
  });

  it('lists content, style and takes (preset, metrics, region) in lane order; follows replace and remove', async () => {
    const { call } = setup();
    // Style first, so insertion order differs from lane order.
    const style = await call<Track>('importAudio', { lane: 'style', name: 's.wav', bytes: wav16(new Array(400).fill(0)) });
    const content = await call<Track>('importAudio', { lane: 'content', name: 'c.wav', bytes: wav16(new Array(800).fill(0)) });
    const preset = { ...BUILTIN_PRESETS[0], name: 'Mine', weights: { ...BUILTIN_PRESETS[0].weights, style: 3.5 } };
    const t1 = await call<Track>('render', { jobId: 'j1', contentId: content.id, styleId: style.id, preset, region: { start: 0.01, end: 0.05 } });
    const t2 = await call<Track>('render', { jobId: 'j2', contentId: content.id, styleId: style.id, preset: BUILTIN_PRESETS[0] });

    let { tracks } = await call<{ tracks: Track[] }>('listTracks', {});
    expect(tracks.map((t) => t.id)).toEqual([content.id, style.id, t1.id, t2.id]);
    expect(tracks[1]).toEqual(style);
    expect(tracks[2]).toEqual(t1);
    expect(tracks[2].take?.preset.weights.style).toBe(3.5);
    expect(tracks[2].take?.metrics).toEqual(METRICS);
    expect(tracks[2].take?.region).toEqual({ start: 0.01, end: 0.05 });
    expect(tracks[3].take?.region).toBeUndefined();
    // Each take says what made it, and how loud it is.
    expect(tracks[2].take).toMatchObject({ contentName: 'c.wav', styleName: 's.wav', contentId: content.id, exported: false });
    expect(tracks[2].info.loudness).toEqual({ lufs: -20, peak: 0.5 });

    // A new content replaces the old one (and goes first, though loaded last); a removed take is gone.
    const content2 = await call<Track>('importAudio', { lane: 'content', name: 'c2.wav', bytes: wav16(new Array(600).fill(0)) });
    await call('removeTrack', { trackId: t1.id });
    ({ tracks } = await call<{ tracks: Track[] }>('listTracks', {}));
    expect(tracks.map((t) => t.id)).toEqual([content2.id, style.id, t2.id]);
    expect(tracks[0].info.name).toBe('c2.wav');

    // A removed take comes back in its place (undo); a take can be renamed.
    expect(await call<Track>('restoreTrack', { trackId: t1.id })).toEqual(t1);
    const renamed = await call<Track>('renameTrack', { trackId: t2.id, name: '  Best one ' });
    expect(renamed.info.name).toBe('Best one');
    ({ tracks } = await call<{ tracks: Track[] }>('listTracks', {}));
    expect(tracks.map((t) => t.id)).toEqual([content2.id, style.id, t1.id, t2.id]);
    await expect(call('renameTrack', { trackId: style.id, name: 'x' })).rejects.toThrow(/input file, not a take/);
    await expect(call('restoreTrack', { trackId: 'take-nope' })).rejects.toThrow(/can no longer be brought back/);
  });

  it('includes the demo pair after loadDemo', async () => {
    const { call } = setup();
    const demo = await call<{ content: Track; style: Track }>('loadDemo', {});
    const { tracks } = await call<{ tracks: Track[] }>('listTracks', {});
    expect(tracks).toEqual([demo.content, demo.style]);
  });
});
