/**
 * The UI's controller and its clients against main's real handlers (the in-memory shell:
 * real preset store, track store, decoding and export; a stand-in render), so the rules
 * these tests see are the ones production has.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { DEFAULT_PRESET_NAME } from '../../../common/preset';
import { Controller } from '../../../renderer/app/controller';
import { createClockPlayback } from '../../fixtures/renderer/clock-playback';
import { initialState } from '../../../renderer/state/app-state';
import { createStore } from '../../../renderer/state/store';
import * as A from '../../../renderer/state/actions';
import { decodeWav } from '../../../engine/audio/wav';
import { wav16 } from '../../main/helpers/shell-fixture';
import { inMemoryShell, type InMemoryShell, type RecordingBridge } from '../../fixtures/shell/in-memory-shell';

let shell: InMemoryShell | null = null;
afterEach(() => {
  shell?.dispose();
  shell = null;
});

/** A page: a controller on a new connection to the shell, initialised. */
const page = async (api?: RecordingBridge) => {
  shell ??= inMemoryShell();
  const bridge = api ?? shell.connect();
  const store = createStore(initialState());
  const playback = createClockPlayback();
  const c = new Controller(bridge, store, playback);
  await c.init();
  return { api: bridge, store, playback, c };
};

const waitFor = async (f: () => boolean, ms = 5000) => {
  const t0 = Date.now();
  while (!f()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

const fileOf = (name: string, bytes: Uint8Array) => new File([bytes.slice()], name);

describe('controller on the real handlers', () => {
  it('opens with the demo pair loaded and audible content', async () => {
    const { store, playback } = await page();
    const s = store.getState();
    expect(s.contentId && s.tracks[s.contentId].info.name).toBe('Demo content.wav');
    expect(s.styleId).toBeTruthy();
    expect(s.engine.state).toBe('ready');
    expect(s.shell).toBe('web');
    expect(playback.duration()).toBeCloseTo(10, 1);
    expect(playback.gains[s.contentId!]).toBeGreaterThan(0);
    expect(playback.gains[s.styleId!]).toBe(0);
  });

  it("a bad file shows the engine's message on that lane and keeps the old track", async () => {
    const { store, c } = await page();
    const before = store.getState().styleId;
    await c.tracks.importFile('style', fileOf('notes.wav', new TextEncoder().encode('this is not audio')));
    expect(store.getState().laneErrors.style).toMatch(/notes\.wav/);
    expect(store.getState().styleId).toBe(before);
  });

  it('renders through the queue with progress and delivers an auditioned take', async () => {
    const { store, c, playback } = await page();
    store.dispatch(A.setField, { path: 'optimizer.iterations', value: 12 });
    const id = c.renders.render()!;
    await waitFor(() => store.getState().renders[0]?.status === 'done');
    const s = store.getState();
    const job = s.renders.find((j) => j.jobId === id)!;
    expect(job.history.length).toBe(12);
    expect(s.takeIds).toHaveLength(1);
    expect(s.transport.source).toBe(s.takeIds[0]);
    expect(playback.gains[s.takeIds[0]]).toBeGreaterThan(0);
  });

  it('a cancelled render stops in the engine and leaves no take', async () => {
    const { store, c } = await page();
    store.dispatch(A.setField, { path: 'optimizer.iterations', value: 5000 });
    const id = c.renders.render()!;
    await waitFor(() => (store.getState().renders[0]?.history.length ?? 0) > 2);
    c.renders.cancel(id);
    await waitFor(() => store.getState().renders[0].status !== 'running');
    expect(store.getState().renders[0].status).toBe('cancelled');
    // The engine stopped too: no more progress arrives for the job.
    const seen = store.getState().renders[0].history.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(store.getState().renders[0].history.length).toBe(seen);
    expect(store.getState().takeIds).toEqual([]);
    expect(c.renders.busy).toBe(false);
  });

  it('a queued render can be removed before it starts', async () => {
    const { store, c } = await page();
    store.dispatch(A.setField, { path: 'optimizer.iterations', value: 30 });
    c.renders.render();
    const second = c.renders.render()!;
    c.renders.cancel(second);
    await waitFor(() => store.getState().renders[0].status === 'done');
    expect(store.getState().renders[1].status).toBe('cancelled');
    expect(store.getState().takeIds).toHaveLength(1);
  });

  it('saves, renames, deletes with undo, and imports presets under main’s rules', async () => {
    const { store, c } = await page();
    store.dispatch(A.setField, { path: 'weights.timbre', value: 2.5 });
    expect(c.presets.isModified()).toBe(true);
    expect(await c.presets.saveAs('Bright')).toBe(true);
    expect(c.presets.isModified()).toBe(false);
    expect(store.getState().userPresets.map((p) => p.name)).toEqual(['Bright']);
    // Names are case-insensitive and built-ins are read-only, as main's store says.
    expect(await c.presets.saveAs('quick PREVIEW')).toBe(false);
    expect(store.getState().notices.at(-1)?.text).toMatch(/built-in/);
    expect(await c.presets.saveAs('bright')).toBe(false);
    expect(store.getState().notices.at(-1)?.text).toMatch(/already exists/);
    expect(await c.presets.rename('Bright', 'Brighter')).toBe(true);
    expect(store.getState().loaded.name).toBe('Brighter');
    await c.presets.delete('Brighter');
    expect(store.getState().userPresets).toEqual([]);
    const n = store.getState().notices.at(-1)!;
    await c.presets.undoDelete(n.id, n.undo!.preset);
    expect(store.getState().userPresets.map((p) => p.name)).toEqual(['Brighter']);

    const good = { ...store.getState().preset, name: 'Imported one' };
    const clash = { ...store.getState().preset, name: 'Brighter' };
    const json = new TextEncoder().encode(JSON.stringify([good, clash, { name: 'broken', version: 1 }]));
    const r = await c.presets.importFile(fileOf('x.json', json));
    // A clash is renamed, never overwritten: the same rule whatever the shell.
    expect(r?.imported).toEqual(['Imported one', 'Brighter (imported)']);
    expect(r?.rejected.map((x) => x.name)).toEqual(['broken']);
    expect(store.getState().userPresets.map((p) => p.name)).toEqual(['Brighter', 'Imported one', 'Brighter (imported)']);
    expect(store.getState().notices.at(-1)).toMatchObject({
      kind: 'error',
      text: expect.stringMatching(/^Imported Imported one, Brighter \(imported\)\. "broken" in x\.json is not a preset Gramophone can use: its [a-z ]+ [^;]+\.$/),
    });
    await c.presets.importFile(fileOf('bin.json', Uint8Array.of(0xff, 0xfe, 0)));
    expect(store.getState().notices.at(-1)?.text).toMatch(/bin\.json.*not a text/);
  });

  it('has no import dialog in the browser: the page offers its file picker instead', async () => {
    const { c, api } = await page();
    expect(await c.presets.openDialog()).toBe(false);
    expect(await c.tracks.openAudio('content')).toBe(false);
    expect(api.calls).not.toContain('openPresets');
  });

  it('exports the auditioned take as a WAV stem that decodes', async () => {
    const { store, c } = await page();
    expect(await c.exports.exportTakes()).toBeNull();
    store.dispatch(A.setField, { path: 'optimizer.iterations', value: 3 });
    c.renders.render();
    await waitFor(() => store.getState().takeIds.length === 1);
    const paths = await c.exports.exportTakes();
    expect(paths).toHaveLength(1);
    expect(paths![0].startsWith(shell!.exportDir)).toBe(true);
    const wav = decodeWav(new Uint8Array(fs.readFileSync(paths![0])), 'take.wav');
    expect(wav.format).toMatch(/24/);
    expect(store.getState().lastExport).toEqual(paths);
  });
});

describe('controller start-up after a reload', () => {
  it('restores content, style and every take (preset, metrics, region) without loading the demo again', async () => {
    const { api, store, c } = await page();
    store.dispatch(A.setField, { path: 'optimizer.iterations', value: 3 });
    store.dispatch(A.setField, { path: 'weights.style', value: 4.2 });
    c.renders.render();
    await waitFor(() => store.getState().takeIds.length === 1);
    store.dispatch(A.setRegion, { start: 1, end: 2.5 });
    c.renders.render();
    await waitFor(() => store.getState().takeIds.length === 2);
    const before = store.getState();

    const r = await page();
    const s = r.store.getState();
    expect([...api.calls, ...r.api.calls].filter((x) => x === 'loadDemo')).toHaveLength(1);
    expect(s.contentId).toBe(before.contentId);
    expect(s.styleId).toBe(before.styleId);
    expect(s.takeIds).toEqual(before.takeIds);
    for (const id of s.takeIds) expect(s.tracks[id]).toEqual(before.tracks[id]);
    const second = s.tracks[s.takeIds[1]].take!;
    expect(second.preset.weights.style).toBe(4.2);
    expect(second.metrics.iterations).toBe(3);
    expect(second.region).toEqual({ start: 1, end: 2.5 });
    // Playable: every lane has its audio in the transport, the take placed at its region.
    expect(Object.keys(r.playback.gains).sort()).toEqual([before.contentId, before.styleId, ...before.takeIds].sort());
    expect(r.playback.duration()).toBeCloseTo(10, 1);
    expect(s.laneBusy.content).toBe(false);
    expect(s.laneBusy.style).toBe(false);
    // And exportable.
    expect(await r.c.exports.exportTakes()).toHaveLength(1);
  });

  it('keeps the user’s own content and style rather than the demo', async () => {
    const { api, c } = await page();
    await c.tracks.importFile('content', fileOf('my-vocal.wav', wav16(new Float32Array(8000))));
    const r = await page();
    const s = r.store.getState();
    expect(s.tracks[s.contentId!].info.name).toBe('my-vocal.wav');
    expect(s.tracks[s.styleId!].info.name).toBe('Demo style.wav');
    expect([...api.calls, ...r.api.calls].filter((x) => x === 'loadDemo')).toHaveLength(1);
  });

  it('loads the demo when the shell cannot give its session, and says why', async () => {
    shell = inMemoryShell();
    const api = shell.connect();
    api.getSession = async () => {
      throw new Error('old shell');
    };
    const { store } = await page(api);
    expect(api.calls).toContain('loadDemo');
    expect(store.getState().contentId).toBeTruthy();
    expect(store.getState().notices.at(-1)?.text).toMatch(/Could not restore.*old shell/);
  });
});

describe('takes finished elsewhere', () => {
  it('a take rendered while this page was away (reload mid-render) appears when the engine goes idle', async () => {
    const { store, playback } = await page();
    // A second page on the same shell: it renders while the first does not wait for it.
    const other = await page();
    other.store.dispatch(A.setField, { path: 'optimizer.iterations', value: 2 });
    other.c.renders.render();
    await waitFor(() => other.store.getState().takeIds.length === 1);
    await waitFor(() => store.getState().takeIds.length === 1);
    expect(store.getState().takeIds).toEqual(other.store.getState().takeIds);
    expect(playback.gains).toHaveProperty(other.store.getState().takeIds[0]);
    // Idempotent: another idle moment adds nothing twice.
    shell!.emit('engineStatus', { state: 'busy' });
    shell!.emit('engineStatus', { state: 'ready' });
    await new Promise((r) => setTimeout(r, 20));
    expect(store.getState().takeIds).toHaveLength(1);
  });
});

describe('the session, undo and questions through main', () => {
  /** Wait for the page to have sent its part of the session (it debounces). */
  const settle = (c: Controller) => c.session.flush();

  it('a new page (a restart) gets the region, view, controls and mix back', async () => {
    const { store, c } = await page();
    store.dispatch(A.editRegion, { region: { start: 1, end: 2 } });
    store.dispatch(A.editField, { path: 'weights.style', value: 3.3 });
    store.dispatch(A.setView, { nFft: 4096 });
    store.dispatch(A.setMasterDb, -6);
    store.dispatch(A.setOverlay, null);
    await settle(c);
    const r = await page();
    const s = r.store.getState();
    expect(s.region).toEqual({ start: 1, end: 2 });
    expect(s.preset.weights.style).toBe(3.3);
    expect(s.view.nFft).toBe(4096);
    expect(s.mix.masterDb).toBe(-6);
    expect(s.introSeen).toBe(true);
    expect(s.overlay).toBeNull();
    expect(r.playback.masterDb).toBe(-6);
  });

  it('removing a take, undo and redo: main follows, so a new page sees the same lanes', async () => {
    const { store, c, api } = await page();
    store.dispatch(A.setField, { path: 'optimizer.iterations', value: 2 });
    c.renders.render();
    await waitFor(() => store.getState().takeIds.length === 1);
    const id = store.getState().takeIds[0];
    c.tracks.renameTake(id, 'Keeper');
    c.tracks.removeTake(id);
    await waitFor(() => api.calls.includes('removeTrack'));
    expect((await page()).store.getState().takeIds).toEqual([]);
    c.undo();
    await waitFor(() => api.calls.includes('restoreTrack'));
    expect(store.getState().tracks[id]).toBeDefined();
    const back = await page();
    await waitFor(() => back.store.getState().takeIds.length === 1);
    expect(back.store.getState().tracks[id].info.name).toBe('Keeper');
    c.undo();
    await waitFor(() => api.calls.filter((x) => x === 'renameTrack').length >= 2);
    expect((await page()).store.getState().tracks[id].info.name).toMatch(/^Take 1/);
  });

  it('loading a preset over unsaved edits asks first; Cancel keeps the edits', async () => {
    const { store, c } = await page();
    store.dispatch(A.editField, { path: 'weights.style', value: 7 });
    const first = c.presets.load('Ulyanov texture');
    expect(store.getState().question?.message).toBe(`Discard your changes to "${DEFAULT_PRESET_NAME}"?`);
    c.questions.answer(false);
    expect(await first).toBe(false);
    expect(store.getState().preset.weights.style).toBe(7);
    const second = c.presets.load('Ulyanov texture');
    c.questions.answer(true);
    expect(await second).toBe(true);
    expect(store.getState().loaded.name).toBe('Ulyanov texture');
    c.undo();
    expect(store.getState().preset.weights.style).toBe(7);
  });

  it('a new session over an unexported take asks first; after Save Session it does not', async () => {
    const { store, c } = await page();
    store.dispatch(A.setField, { path: 'optimizer.iterations', value: 2 });
    c.renders.render();
    await waitFor(() => store.getState().takeIds.length === 1);
    const asked = c.session.newSession();
    await waitFor(() => !!store.getState().question);
    expect(store.getState().question?.message).toBe('One take has not been exported. Start a new session anyway?');
    c.questions.answer(false);
    await asked;
    expect(store.getState().takeIds).toHaveLength(1);
    const saved = await c.session.save(false);
    expect(saved).toMatch(/\.gramophone$/);
    expect(fs.existsSync(saved!)).toBe(true);
    expect(store.getState().sessionFile).toBe(saved!.split('/').pop());
    await c.session.newSession();
    expect(store.getState().question).toBeNull();
    expect(store.getState().takeIds).toEqual([]);
    expect(store.getState().contentId).toBeNull();
    // And the saved file opens again, takes and all.
    await c.session.importFile(fileOf('back.gramophone', new Uint8Array(fs.readFileSync(saved!))));
    expect(store.getState().takeIds).toHaveLength(1);
    expect(store.getState().contentId).toBeTruthy();
  });

  it('matched loudness: the lanes are heard at one loudness; the meter reads the mix', async () => {
    const { store, c, playback } = await page();
    store.dispatch(A.setField, { path: 'optimizer.iterations', value: 2 });
    c.renders.render();
    await waitFor(() => store.getState().takeIds.length === 1);
    const s = store.getState();
    const heard = A.laneOrder(s).map((id, i) => {
      c.transport.audition(i);
      return store.getState().tracks[id].info.loudness!.lufs! + 20 * Math.log10(playback.gains[id]);
    });
    expect(Math.max(...heard) - Math.min(...heard)).toBeLessThan(1e-6);
    await playback.play();
    playback.seek(0.5);
    expect(playback.levels().peak).toBeGreaterThan(0);
    store.dispatch(A.setMasterDb, -60);
    expect(playback.levels().peak).toBeLessThan(0.01);
  });

  it('exports a take blended with its content when asked to', async () => {
    const { store, c } = await page();
    store.dispatch(A.setField, { path: 'optimizer.iterations', value: 2 });
    c.renders.render();
    await waitFor(() => store.getState().takeIds.length === 1);
    const id = store.getState().takeIds[0];
    const rendered = decodeWav(new Uint8Array(fs.readFileSync((await c.exports.exportTakes())![0])), 'a.wav');
    expect(store.getState().tracks[id].take?.exported).toBe(true);
    store.dispatch(A.setWet, { id, wet: 0.5 });
    store.dispatch(A.setExportBlended, true);
    const blended = decodeWav(new Uint8Array(fs.readFileSync((await c.exports.exportTakes())![0])), 'b.wav');
    expect(blended.frames).toBe(rendered.frames);
    let diff = 0;
    for (let i = 0; i < blended.frames; i++) diff = Math.max(diff, Math.abs(blended.channels[0][i] - rendered.channels[0][i]));
    expect(diff).toBeGreaterThan(0.01);
  });
});
