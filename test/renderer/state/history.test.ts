/** Undo and redo as pure actions: each step puts back only the part it changed. */
import { describe, expect, it } from 'vitest';
import type { Track } from '../../../common/contract';
import { builtinPreset, DEFAULT_PRESET_NAME } from '../../../common/preset';
import { initialState } from '../../../renderer/state/app-state';
import * as A from '../../../renderer/state/actions';
import { MAX_HISTORY_STEPS, MERGE_MS } from '../../../renderer/state/history';

const input = (id: string, kind: 'content' | 'style'): Track => ({
  id,
  kind,
  info: { name: `${id}.wav`, sampleRate: 22050, channels: 1, frames: 6 * 22050, duration: 6, format: 'PCM 16-bit', warnings: [] },
});
const take = (id: string): Track => ({ ...input(id, 'content'), kind: 'take' });
const loaded = () => [input('c1', 'content'), input('s1', 'style'), take('t1'), take('t2')].reduce(A.addTrack, initialState());

describe('undo / redo', () => {
  it('a slider drag is one step; undo puts the weight back, redo moves it again', () => {
    let s = loaded();
    const before = s.preset.weights.style;
    for (let i = 0; i < 10; i++) s = A.editField(s, { path: 'weights.style', value: 1 + i / 10, at: 1000 + i * 50 });
    expect(s.history.past).toHaveLength(1);
    expect(s.preset.weights.style).toBe(1.9);
    s = A.undo(s);
    expect(s.preset.weights.style).toBe(before);
    expect(A.undo(s)).toBe(s);
    s = A.redo(s);
    expect(s.preset.weights.style).toBe(1.9);
    expect(A.redo(s)).toBe(s);
  });

  it('edits of different fields, or far apart in time, are separate steps; a new edit clears redo', () => {
    let s = loaded();
    s = A.editField(s, { path: 'weights.style', value: 2, at: 0 });
    s = A.editField(s, { path: 'weights.content', value: 3, at: 10 });
    s = A.editField(s, { path: 'weights.content', value: 4, at: 10 + MERGE_MS + 1 });
    expect(s.history.past.map((e) => e.label)).toEqual(['Change weights.style', 'Change weights.content', 'Change weights.content']);
    s = A.undo(A.undo(s));
    expect(s.preset.weights).toMatchObject({ style: 2, content: builtinPreset(DEFAULT_PRESET_NAME)!.weights.content });
    s = A.editField(s, { path: 'optimizer.iterations', value: 7, at: 5000 });
    expect(s.history.future).toEqual([]);
  });

  it('an edit that changes nothing records nothing; the history is bounded', () => {
    let s = loaded();
    s = A.editField(s, { path: 'weights.style', value: s.preset.weights.style });
    // setPresetField copies the objects on the way, so "nothing" means an equal preset.
    s = { ...s, history: { past: [], future: [] } };
    for (let i = 0; i < MAX_HISTORY_STEPS + 20; i++) s = A.editField(s, { path: 'network.seed', value: i + 1 });
    expect(s.history.past).toHaveLength(MAX_HISTORY_STEPS);
  });

  it('undoing a slider move leaves a take rendered after it in place', () => {
    let s = loaded();
    s = A.editField(s, { path: 'weights.style', value: 9, at: 0 });
    s = A.addTrack(s, take('t3'));
    s = A.undo(s);
    expect(s.takeIds).toEqual(['t1', 't2', 't3']);
  });

  it('a removed take comes back in its place with undo; a rename is undone to the old name', () => {
    let s = loaded();
    s = A.renameTake(s, { id: 't1', name: '  Keeper ' });
    expect(s.tracks.t1.info.name).toBe('Keeper');
    s = A.removeTake(s, { id: 't1' });
    expect(s.takeIds).toEqual(['t2']);
    expect(s.tracks.t1).toBeUndefined();
    s = A.undo(s);
    expect(s.takeIds).toEqual(['t1', 't2']);
    expect(s.tracks.t1.info.name).toBe('Keeper');
    expect(s.flags.t1).toEqual({ muted: false, solo: false, selected: false });
    s = A.undo(s);
    expect(s.tracks.t1.info.name).toBe('t1.wav');
    s = A.redo(A.redo(s));
    expect(s.takeIds).toEqual(['t2']);
    // A blank name is no rename.
    expect(A.renameTake(s, { id: 't2', name: '   ' })).toBe(s);
  });

  it('region changes: a drag is one step, clearing is another; undo restores each', () => {
    let s = loaded();
    for (let i = 1; i <= 5; i++) s = A.editRegion(s, { region: { start: 1, end: 1 + i / 2 }, at: i * 20 });
    s = A.editRegion(s, { region: null, at: 5000 });
    expect(s.history.past).toHaveLength(2);
    s = A.undo(s);
    expect(s.region).toEqual({ start: 1, end: 3.5 });
    s = A.undo(s);
    expect(s.region).toBeNull();
  });

  it('loading a preset is undoable, with what was loaded before', () => {
    let s = loaded();
    const ulyanov = builtinPreset('Ulyanov texture')!;
    s = A.editField(s, { path: 'weights.style', value: 5, at: 0 });
    s = A.choosePreset(s, { preset: ulyanov, builtin: true, at: 100 });
    expect(s.loaded.name).toBe('Ulyanov texture');
    s = A.undo(s);
    expect(s.loaded.name).toBe(DEFAULT_PRESET_NAME);
    expect(s.preset.weights.style).toBe(5);
  });
});
