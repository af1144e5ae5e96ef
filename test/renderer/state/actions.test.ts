import { describe, expect, it } from 'vitest';
import { perTerm } from '../../../common/loss-terms';
import type { Track } from '../../../common/contract';
import { builtinPreset, presetProblems } from '../../../common/preset';
import { initialState } from '../../../renderer/state/app-state';
import * as A from '../../../renderer/state/actions';
import { audibleTracks } from '../../../renderer/state/mix';
import { createStore } from '../../../renderer/state/store';
import { presetModified, positionToWeight, setPresetField, weightToPosition, WEIGHT_STEPS } from '../../../renderer/state/preset-edit';

const track = (id: string, kind: Track['kind'], duration = 6): Track => ({
  id,
  kind,
  info: { name: `${id}.wav`, sampleRate: 22050, channels: 1, frames: duration * 22050, duration, format: 'PCM 16-bit', warnings: [] },
});

const loaded = () => A.addTrack(A.addTrack(initialState(), track('c1', 'content')), track('s1', 'style'));

describe('lanes', () => {
  it('puts content and style on their lanes and auditions the content first', () => {
    const s = loaded();
    expect(s.contentId).toBe('c1');
    expect(s.styleId).toBe('s1');
    expect(s.transport.source).toBe('c1');
    expect(A.laneOrder(s)).toEqual(['c1', 's1']);
  });

  it('replaces an input and drops the old track and a region that no longer fits', () => {
    let s = A.setRegion(loaded(), { start: 4, end: 5.5 });
    s = A.addTrack(s, track('c2', 'content', 3));
    expect(s.contentId).toBe('c2');
    expect(s.tracks.c1).toBeUndefined();
    expect(s.region).toBeNull();
    expect(s.transport.source).toBe('c2');
  });

  it('keeps a lane error in place until the lane loads again', () => {
    let s = A.laneFailed(loaded(), { lane: 'style', message: '"x.wav" is not a WAV file' });
    expect(s.laneErrors.style).toMatch(/not a WAV/);
    expect(s.styleId).toBe('s1');
    s = A.laneLoading(s, 'style');
    expect(s.laneErrors.style).toBeUndefined();
  });

  it('A/B selects by lane index, and solo/mute decide what is heard', () => {
    let s = A.addTrack(loaded(), track('t1', 'take'));
    s = A.selectSourceIndex(s, 2);
    expect(audibleTracks(s)).toEqual({ c1: false, s1: false, t1: true });
    s = A.selectSourceIndex(s, 9);
    expect(s.transport.source).toBe('t1');
    s = A.toggleSolo(A.toggleSolo(s, 'c1'), 's1');
    expect(audibleTracks(s)).toEqual({ c1: true, s1: true, t1: false });
    s = A.toggleMute(s, 's1');
    expect(audibleTracks(s)).toEqual({ c1: true, s1: false, t1: false });
  });

  it('orders, clamps and clears regions', () => {
    let s = A.setRegion(loaded(), { start: 5, end: 2 });
    expect(s.region).toEqual({ start: 2, end: 5 });
    s = A.setRegion(s, { start: 1, end: 100 });
    expect(s.region).toEqual({ start: 1, end: 6 });
    s = A.setLoop(s, true);
    s = A.setRegion(s, { start: 1, end: 1.01 });
    expect(s.region).toBeNull();
    expect(s.transport.loop).toBe(false);
  });

  it('keeps at least 6 dB of colour range', () => {
    const s = A.setView(initialState(), { dbMin: -2 });
    expect(s.view.dbMax - s.view.dbMin).toBeGreaterThanOrEqual(6);
  });
});

describe('weight sliders', () => {
  it('map 0 to off and round-trip on a log scale', () => {
    expect(weightToPosition(0)).toBe(0);
    expect(positionToWeight(0)).toBe(0);
    expect(positionToWeight(WEIGHT_STEPS)).toBe(1000);
    expect(positionToWeight(1)).toBe(0.001);
    for (const w of [0.001, 0.01, 0.1, 1, 10, 100]) expect(positionToWeight(weightToPosition(w))).toBeCloseTo(w, 6);
    // Monotone: each step up is a larger weight.
    for (let p = 1; p < WEIGHT_STEPS; p += 37) expect(positionToWeight(p + 1)).toBeGreaterThanOrEqual(positionToWeight(p));
  });
});

describe('presets', () => {
  it('marks the controls modified when a setting changes and not when only the name does', () => {
    let s = initialState();
    expect(presetModified(s.preset, s.loaded.preset)).toBe(false);
    s = A.setField(s, { path: 'weights.style', value: 3 });
    expect(s.preset.weights.style).toBe(3);
    expect(presetModified(s.preset, s.loaded.preset)).toBe(true);
    s = A.setField(s, { path: 'weights.style', value: s.loaded.preset.weights.style });
    expect(presetModified(s.preset, s.loaded.preset)).toBe(false);
    expect(presetModified({ ...s.preset, name: 'other' }, s.loaded.preset)).toBe(false);
  });

  it('after saving, the saved user preset is the loaded, unmodified one', () => {
    let s = A.setField(initialState(), { path: 'network.seed', value: 42 });
    const saved = { ...s.preset, name: 'Mine', source: undefined };
    s = A.presetSaved(s, { user: [saved], name: 'Mine' });
    expect(s.loaded).toMatchObject({ name: 'Mine', builtin: false });
    expect(presetModified(s.preset, s.loaded.preset)).toBe(false);
    s = A.presetRenamed(s, { user: [{ ...saved, name: 'Yours' }], from: 'Mine', to: 'Yours' });
    expect(s.loaded.name).toBe('Yours');
  });

  it('loading a preset copies it (editing the controls never changes the list)', () => {
    const texture = builtinPreset('Ulyanov texture')!;
    let s = A.loadPreset(initialState(), { preset: texture, builtin: true });
    s = A.setField(s, { path: 'weights.content', value: 5 });
    expect(texture.weights.content).toBe(0.01);
    expect(s.loaded.preset.weights.content).toBe(0.01);
  });
});

describe('render queue', () => {
  it('queues, runs one at a time, records progress and delivers the take', () => {
    let s = A.enqueueRender(loaded(), { jobId: 'j1' });
    s = A.enqueueRender(s, { jobId: 'j2' });
    expect(A.nextJob(s)?.jobId).toBe('j1');
    s = A.jobStarted(s, 'j1');
    expect(A.nextJob(s)).toBeUndefined();
    const terms = { ...perTerm(() => 0), content: 0.1, style: 1, energy: 0.2, timbre: 0.3 };
    s = A.jobProgress(s, { jobId: 'j1', phase: 'optimise', iteration: 1, total: 10, loss: 2, terms, elapsed: 0.1, preview: { frames: 2, bins: 2, data: new Uint8Array(4) } });
    s = A.jobProgress(s, { jobId: 'j1', phase: 'optimise', iteration: 1, total: 10, loss: 2, terms, elapsed: 0.1 });
    s = A.jobProgress(s, { jobId: 'j1', phase: 'optimise', iteration: 2, total: 10, loss: 1, terms, elapsed: 0.2 });
    const j1 = s.renders[0];
    expect(j1.history.map((h) => h.iteration)).toEqual([1, 2]);
    expect(j1.progress?.preview?.frames).toBe(2);
    s = A.jobDone(s, { jobId: 'j1', take: track('t1', 'take') });
    expect(s.takeIds).toEqual(['t1']);
    expect(s.transport.source).toBe('t1');
    expect(A.nextJob(s)?.jobId).toBe('j2');
    expect(A.exportSelection(s)).toEqual(['t1']);
  });

  it('a segmented render charts on: each segment continues along the time axis as a curve of its own', () => {
    let s = A.jobStarted(A.enqueueRender(loaded(), { jobId: 'j1' }), 'j1');
    const terms = { ...perTerm(() => 0), content: 0.1 };
    for (const index of [0, 1]) {
      for (const iteration of [1, 2, 3]) {
        s = A.jobProgress(s, { jobId: 'j1', phase: 'optimise', iteration, total: 3, loss: 4 - iteration, terms, elapsed: 0.1, segment: { index, count: 2 } });
      }
    }
    const h = s.renders[0].history;
    // The chart's x is `step`: it never goes back, so no line is drawn from the end of one
    // segment back to the start of the axis (the straight diagonals); `segment` breaks the line.
    expect(h.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(h.map((p) => p.segment)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(h.map((p) => p.iteration)).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it('a cancelled job leaves no take; a queued one can be dropped', () => {
    let s = A.enqueueRender(loaded(), { jobId: 'j1' });
    s = A.enqueueRender(s, { jobId: 'j2' });
    s = A.jobStarted(s, 'j1');
    s = A.jobFailed(s, { jobId: 'j1', message: 'Render cancelled', cancelled: true });
    s = A.dequeue(s, 'j2');
    expect(s.renders.map((j) => j.status)).toEqual(['cancelled', 'cancelled']);
    expect(s.takeIds).toEqual([]);
  });

  it('a job of modified settings is labelled "(modified)" and carries the actual weights', () => {
    let s = A.enqueueRender(loaded(), { jobId: 'j1' });
    expect(s.renders[0].preset.name).toBe(s.loaded.name);
    expect(s.renders[0].preset.source).toBe(s.loaded.preset.source);
    s = A.setField(s, { path: 'weights.style', value: 2.5 });
    s = A.enqueueRender(s, { jobId: 'j2' });
    expect(s.renders[1].preset.name).toBe(`${s.loaded.name} (modified)`);
    expect(s.renders[1].preset.weights.style).toBe(2.5);
    // The source names where the loaded settings come from; these are no longer those.
    expect(s.renders[1].preset.source).toBeUndefined();
    expect(presetProblems(s.renders[1].preset)).toBeNull();
    // Changing the controls afterwards does not relabel a queued job.
    s = A.setField(s, { path: 'weights.style', value: s.loaded.preset.weights.style });
    expect(s.renders[1].preset.name).toMatch(/\(modified\)$/);
    expect(A.enqueueRender(s, { jobId: 'j3' }).renders[2].preset.name).toBe(s.loaded.name);
  });

  it('will not queue without both inputs', () => {
    const s = initialState();
    expect(A.enqueueRender(s, { jobId: 'j' })).toBe(s);
  });
});

describe('store', () => {
  it('notifies only on change', () => {
    const st = createStore(initialState());
    let n = 0;
    st.subscribe(() => n++);
    st.dispatch(A.selectSource, 'nope');
    expect(n).toBe(0);
    st.dispatch(A.setLoop, true);
    expect(n).toBe(1);
    expect(st.getState().transport.loop).toBe(true);
  });
});

describe('analysis fields', () => {
  it('a new FFT size carries the window: a full window stays full, a window that no longer fits is shortened, a short one that fits stays', () => {
    const full = builtinPreset('Quick preview')!;
    expect(full.analysis.window).toBe(full.analysis.nFft);
    const smaller = setPresetField(full, 'analysis.nFft', 512);
    expect(smaller.analysis).toMatchObject({ nFft: 512, window: 512 });
    expect(presetProblems(smaller)).toBeNull();
    const verma = builtinPreset('Verma & Smith')!;
    expect(verma.analysis).toMatchObject({ nFft: 512, window: 480 });
    expect(setPresetField(verma, 'analysis.nFft', 1024).analysis).toMatchObject({ nFft: 1024, window: 480 });
    expect(setPresetField(verma, 'analysis.nFft', 256).analysis).toMatchObject({ nFft: 256, window: 256 });
    expect(setPresetField(verma, 'analysis.hop', 128).analysis).toMatchObject({ nFft: 512, window: 480, hop: 128 });
  });
});
