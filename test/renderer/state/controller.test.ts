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
