import { describe, expect, it } from 'vitest';
import { Controller } from '../../../renderer/app/controller';
import { createClockPlayback } from '../../../renderer/audio/playback';
import { createFakeApi } from '../../../renderer/dev/fake-api';
import { initialState } from '../../../renderer/state/app-state';
import { createStore } from '../../../renderer/state/store';
import * as A from '../../../renderer/state/actions';

const setup = async () => {
  const api = createFakeApi({ delayMs: 0 });
  const store = createStore(initialState());
  const playback = createClockPlayback();
  const c = new Controller(api, store, playback);
  await c.init();
  return { api, store, playback, c };
};

const waitFor = async (f: () => boolean, ms = 5000) => {
  const t0 = Date.now();
  while (!f()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('controller with the fake shell', () => {
  it('opens with the demo pair loaded and audible content', async () => {
    const { store, playback } = await setup();
    const s = store.getState();
    expect(s.contentId && s.tracks[s.contentId].info.name).toBe('demo-melody.wav');
    expect(s.styleId).toBeTruthy();
    expect(s.engine.state).toBe('ready');
    expect(playback.duration()).toBeCloseTo(6, 1);
    expect(playback.audible).toEqual({ [s.contentId!]: true, [s.styleId!]: false });
  });

  it('a bad file shows the message on that lane and keeps the old track', async () => {
    const { store, c } = await setup();
    const before = store.getState().styleId;
    const bytes = new TextEncoder().encode('this is not audio');
    await c.importFile('style', { name: 'notes.wav', arrayBuffer: async () => bytes.buffer });
    expect(store.getState().laneErrors.style).toMatch(/notes\.wav.*not a WAV/);
    expect(store.getState().styleId).toBe(before);
  });

  it('renders through the queue with progress and delivers an auditioned take', async () => {
    const { store, c, playback } = await setup();
    store.dispatch(A.setField, { path: 'optimizer.iterations', value: 12 });
    const id = c.render()!;
    await waitFor(() => store.getState().renders[0]?.status === 'done');
    const s = store.getState();
    const job = s.renders.find((j) => j.jobId === id)!;
    expect(job.history.length).toBe(12);
    expect(s.takeIds).toHaveLength(1);
    expect(s.transport.source).toBe(s.takeIds[0]);
    expect(playback.audible[s.takeIds[0]]).toBe(true);
  });

  it('a cancelled render leaves no take', async () => {
    const { store, c } = await setup();
    store.dispatch(A.setField, { path: 'optimizer.iterations', value: 2000 });
    const id = c.render()!;
    await waitFor(() => (store.getState().renders[0]?.history.length ?? 0) > 2);
    await c.cancel(id);
    await waitFor(() => store.getState().renders[0].status !== 'running');
    expect(store.getState().renders[0].status).toBe('cancelled');
    expect(store.getState().takeIds).toEqual([]);
  });

  it('saves, renames, deletes with undo, and imports presets', async () => {
    const { store, c } = await setup();
    store.dispatch(A.setField, { path: 'weights.timbre', value: 2.5 });
    expect(c.isModified()).toBe(true);
    expect(await c.saveAs('Bright')).toBe(true);
    expect(c.isModified()).toBe(false);
    expect(store.getState().userPresets.map((p) => p.name)).toEqual(['Bright']);
    expect(await c.saveAs('Quick preview')).toBe(false);
    expect(store.getState().notices.at(-1)?.text).toMatch(/built-in/);
    await c.renamePreset('Bright', 'Brighter');
    expect(store.getState().loaded.name).toBe('Brighter');
    await c.deletePreset('Brighter');
    expect(store.getState().userPresets).toEqual([]);
    const n = store.getState().notices.at(-1)!;
    await c.undoDelete(n.id, n.undo!.preset);
    expect(store.getState().userPresets.map((p) => p.name)).toEqual(['Brighter']);
    const good = { ...store.getState().preset, name: 'Imported one' };
    const r = await c.importPresetText('x.json', JSON.stringify([good, { name: 'broken', version: 1 }]));
    expect(r.imported).toEqual(['Imported one']);
    expect(r.rejected[0]).toMatch(/^broken:/);
  });

  it('exports the auditioned take', async () => {
    const { store, c, api } = await setup();
    expect(await c.exportTakes()).toBeNull();
    store.dispatch(A.setField, { path: 'optimizer.iterations', value: 3 });
    c.render();
    await waitFor(() => store.getState().takeIds.length === 1);
    const paths = await c.exportTakes();
    expect(paths?.[0]).toMatch(/\.pcm24\.wav$/);
    expect(api.calls).toContain('exportTakes');
  });
});

describe('controller start-up after a reload', () => {
  /** A second controller on the same shell, as a reloaded page (or restarted renderer) gets. */
  const reload = async (api: ReturnType<typeof createFakeApi>) => {
    const store = createStore(initialState());
    const playback = createClockPlayback();
    const c = new Controller(api, store, playback);
    await c.init();
    return { store, playback, c };
  };

  it('restores content, style and every take (preset, metrics, region) without loading the demo again', async () => {
    const { api, store, c } = await setup();
    store.dispatch(A.setField, { path: 'optimizer.iterations', value: 3 });
    store.dispatch(A.setField, { path: 'weights.style', value: 4.2 });
    c.render();
    await waitFor(() => store.getState().takeIds.length === 1);
    store.dispatch(A.setRegion, { start: 1, end: 2.5 });
    c.render();
    await waitFor(() => store.getState().takeIds.length === 2);
    const before = store.getState();

    const r = await reload(api);
    const s = r.store.getState();
    expect(api.calls.filter((x) => x === 'loadDemo')).toHaveLength(1);
    expect(s.contentId).toBe(before.contentId);
    expect(s.styleId).toBe(before.styleId);
    expect(s.takeIds).toEqual(before.takeIds);
    for (const id of s.takeIds) expect(s.tracks[id]).toEqual(before.tracks[id]);
    const second = s.tracks[s.takeIds[1]].take!;
    expect(second.preset.weights.style).toBe(4.2);
    expect(second.metrics.iterations).toBe(3);
    expect(second.region).toEqual({ start: 1, end: 2.5 });
    // Playable: every lane has its audio in the transport, the take placed at its region.
    expect(Object.keys(r.playback.audible).sort()).toEqual([before.contentId, before.styleId, ...before.takeIds].sort());
    expect(r.playback.duration()).toBeCloseTo(6, 1);
    expect(s.laneBusy.content).toBe(false);
    expect(s.laneBusy.style).toBe(false);
    // And exportable.
    expect(await r.c.exportTakes()).toHaveLength(1);
  });

  it('keeps the user’s own content and style rather than the demo', async () => {
    const { api, c } = await setup();
    const rate = 8000;
    const wav = new Uint8Array(44 + rate * 2);
    const dv = new DataView(wav.buffer);
    wav.set(new TextEncoder().encode('RIFF'), 0);
    dv.setUint32(4, 36 + rate * 2, true);
    wav.set(new TextEncoder().encode('WAVEfmt '), 8);
    dv.setUint32(16, 16, true);
    dv.setUint16(20, 1, true);
    dv.setUint16(22, 1, true);
    dv.setUint32(24, rate, true);
    dv.setUint32(28, rate * 2, true);
    dv.setUint16(32, 2, true);
    dv.setUint16(34, 16, true);
    wav.set(new TextEncoder().encode('data'), 36);
    dv.setUint32(40, rate * 2, true);
    await c.importFile('content', { name: 'my-vocal.wav', arrayBuffer: async () => wav.buffer });
    const r = await reload(api);
    const s = r.store.getState();
    expect(s.tracks[s.contentId!].info.name).toBe('my-vocal.wav');
    expect(s.tracks[s.styleId!].info.name).toBe('demo-bongos.wav');
    expect(api.calls.filter((x) => x === 'loadDemo')).toHaveLength(1);
  });

  it('loads the demo on a fresh start, and when the shell cannot list its tracks', async () => {
    const api = createFakeApi({ delayMs: 0 });
    api.listTracks = async () => {
      throw new Error('old shell');
    };
    const { store } = await reload(api);
    expect(api.calls).toContain('loadDemo');
    expect(store.getState().contentId).toBeTruthy();
    expect(store.getState().notices.at(-1)?.text).toMatch(/Could not restore.*old shell/);
  });
});

describe('takes finished elsewhere', () => {
  it('a take rendered while this page was away (reload mid-render) appears when the engine goes idle', async () => {
    const { api, store, playback } = await setup();
    // A second page on the same shell: it renders while the first does not wait for it.
    const other = new Controller(api, createStore(initialState()), createClockPlayback());
    await other.init();
    other.store.dispatch(A.setField, { path: 'optimizer.iterations', value: 2 });
    other.render();
    await waitFor(() => other.state.takeIds.length === 1);
    expect(store.getState().takeIds).toEqual([]);
    api.emit('engineStatus', { state: 'busy' });
    api.emit('engineStatus', { state: 'ready' });
    await waitFor(() => store.getState().takeIds.length === 1);
    expect(store.getState().takeIds).toEqual(other.state.takeIds);
    expect(playback.audible).toHaveProperty(other.state.takeIds[0]);
    // Idempotent: another idle moment adds nothing twice.
    api.emit('engineStatus', { state: 'busy' });
    api.emit('engineStatus', { state: 'ready' });
    await new Promise((r) => setTimeout(r, 20));
    expect(store.getState().takeIds).toHaveLength(1);
  });
});
