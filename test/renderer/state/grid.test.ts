/** A grid of takes, without React: values parsed and checked, presets built and named, the compare view's actions. */
import { describe, expect, it } from 'vitest';
import type { Track } from '../../../common/contract';
import { BUILTIN_PRESETS, builtinPreset, presetProblems } from '../../../common/preset';
import { takeMetrics } from '../../fixtures/metrics';
import { initialState, type AppState } from '../../../renderer/state/app-state';
import * as A from '../../../renderer/state/actions';
import { MAX_GRID_TAKES, gridCells, parseSweepValues } from '../../../renderer/state/grid';
import { trackGains } from '../../../renderer/state/mix';

const base = builtinPreset('Timbre transfer')!;

describe('sweep values', () => {
  it('reads numbers separated by commas or spaces, and refuses what an axis cannot take, in words', () => {
    expect(parseSweepValues('weight:content', '0.01, 0.1 1', BUILTIN_PRESETS)).toEqual({ values: [0.01, 0.1, 1] });
    expect(parseSweepValues('seed', '1 2 3', BUILTIN_PRESETS)).toEqual({ values: [1, 2, 3] });
    expect(parseSweepValues('nFft', '1024, 2048', BUILTIN_PRESETS)).toEqual({ values: [1024, 2048] });
    expect(parseSweepValues('weight:style', '0.1, loud', BUILTIN_PRESETS)).toEqual({ error: 'β Style weight: "loud" is not a number.' });
    expect(parseSweepValues('weight:style', '-1', BUILTIN_PRESETS)).toMatchObject({ error: expect.stringContaining('from 0') });
    expect(parseSweepValues('seed', '1.5', BUILTIN_PRESETS)).toMatchObject({ error: expect.stringContaining('whole number') });
    expect(parseSweepValues('nFft', '1000', BUILTIN_PRESETS)).toMatchObject({ error: expect.stringContaining('power of two') });
    expect(parseSweepValues('seed', '2, 2', BUILTIN_PRESETS)).toMatchObject({ error: expect.stringContaining('twice') });
    expect(parseSweepValues('seed', '  ', BUILTIN_PRESETS)).toMatchObject({ error: expect.stringContaining('at least one') });
  });

  it('takes preset names that exist', () => {
    expect(parseSweepValues('preset', 'Quick preview, Timbre transfer', BUILTIN_PRESETS)).toEqual({ values: ['Quick preview', 'Timbre transfer'] });
    expect(parseSweepValues('preset', 'Quick preview, Nope', BUILTIN_PRESETS)).toEqual({ error: 'Preset: no preset called "Nope".' });
  });
});

describe('grid cells', () => {
  it('every combination, the last axis fastest, named by what differs, each a valid preset', () => {
    const r = gridCells(
      base,
      [
        { param: 'weight:content', values: [0.01, 0.1, 1] },
        { param: 'seed', values: [1, 2] },
      ],
      BUILTIN_PRESETS,
    );
    if ('error' in r) throw new Error(r.error);
    expect(r.cells.map((c) => c.label)).toEqual(['α 0.01 · seed 1', 'α 0.01 · seed 2', 'α 0.1 · seed 1', 'α 0.1 · seed 2', 'α 1 · seed 1', 'α 1 · seed 2']);
    expect(r.cells[3].preset.weights.content).toBe(0.1);
    expect(r.cells[3].preset.network.seed).toBe(2);
    expect(r.cells[3].preset.name).toBe('Timbre transfer · α 0.1 · seed 2');
    // Everything else is the base's.
    expect(r.cells[3].preset.optimizer).toEqual(base.optimizer);
    for (const c of r.cells) expect(presetProblems(c.preset)).toBeNull();
  });

  it('a preset axis replaces the preset first, and the other axis applies on top', () => {
    const r = gridCells(
      base,
      [
        { param: 'seed', values: [7] },
        { param: 'preset', values: ['Quick preview', 'Verma timbre'] },
      ],
      BUILTIN_PRESETS,
    );
    if ('error' in r) throw new Error(r.error);
    expect(r.cells.map((c) => c.preset.name)).toEqual(['seed 7 · Quick preview', 'seed 7 · Verma timbre']);
    expect(r.cells[1].preset.optimizer).toEqual(builtinPreset('Verma timbre')!.optimizer);
    expect(r.cells.every((c) => c.preset.network.seed === 7)).toBe(true);
  });

  it('an FFT size takes the window and hop with it so the preset stays valid', () => {
    const r = gridCells(base, [{ param: 'nFft', values: [256, 4096] }], BUILTIN_PRESETS);
    if ('error' in r) throw new Error(r.error);
    for (const c of r.cells) {
      expect(c.preset.analysis.window).toBeLessThanOrEqual(c.preset.analysis.nFft);
      expect(c.preset.analysis.hop).toBeLessThanOrEqual(c.preset.analysis.nFft);
    }
    expect(r.cells[0].preset.analysis.nFft).toBe(256);
  });

  it('refuses, in words: nothing swept, the same thing twice, too many takes', () => {
    expect(gridCells(base, [], BUILTIN_PRESETS)).toMatchObject({ error: expect.stringContaining('Choose what to sweep') });
    expect(
      gridCells(
        base,
        [
          { param: 'seed', values: [1] },
          { param: 'seed', values: [2] },
        ],
        BUILTIN_PRESETS,
      ),
    ).toMatchObject({ error: expect.stringContaining('twice') });
    const many = Array.from({ length: 7 }, (_, i) => i);
    expect(
      gridCells(
        base,
        [
          { param: 'seed', values: many },
          { param: 'weight:style', values: many },
        ],
        BUILTIN_PRESETS,
      ),
    ).toMatchObject({ error: `That is 49 takes; a grid makes at most ${MAX_GRID_TAKES}. Use fewer values.` });
  });
});

const input = (id: string, kind: Track['kind']): Track => ({
  id,
  kind,
  info: { name: id, sampleRate: 22050, channels: 1, frames: 22050, duration: 1, format: 'x', warnings: [], loudness: { lufs: -20, peak: 0.5 } },
});
const take = (id: string, lufs: number): Track => ({
  ...input(id, 'take'),
  info: { ...input(id, 'take').info, loudness: { lufs, peak: 0.3 } },
  take: { jobId: id, preset: base, metrics: takeMetrics(), warnings: [], contentName: 'c', styleName: 's', contentId: 'c1', exported: false },
});

/** A grid of three takes queued over loaded inputs, its jobs finished in the order given. */
function gridState(finishOrder = [0, 1, 2]): AppState {
  let s = [input('c1', 'content'), input('s1', 'style')].reduce(A.addTrack, initialState());
  s = A.enqueueGrid(s, { gridId: 'g', title: 'Seed', cells: [1, 2, 3].map((n) => ({ jobId: `j${n}`, preset: { ...base, network: { ...base.network, seed: n } }, label: `seed ${n}` })) });
  for (const i of finishOrder) s = A.jobDone(A.jobStarted(s, `j${i + 1}`), { jobId: `j${i + 1}`, take: take(`t${i + 1}`, -20 - 5 * i) });
  return s;
}

describe('grid in the state', () => {
  it('queues one job per take named by what differs, opens the compare view, and runs as many at once as main has slots', () => {
    let s = [input('c1', 'content'), input('s1', 'style')].reduce(A.addTrack, initialState());
    s = A.setRegion(s, { start: 0.2, end: 0.7 });
    s = A.enqueueGrid(s, { gridId: 'g', title: 'Seed', cells: [1, 2, 3].map((n) => ({ jobId: `j${n}`, preset: base, label: `seed ${n}` })) });
    expect(s.renders.map((j) => [j.name, j.gridId, j.status, j.region])).toEqual([1, 2, 3].map((n) => [`seed ${n}`, 'g', 'queued', { start: 0.2, end: 0.7 }]));
    expect(s.compareGridId).toBe('g');
    s = A.jobStarted(s, A.nextJob(s, 2)!.jobId);
    expect(A.nextJob(s, 2)?.jobId).toBe('j2');
    s = A.jobStarted(s, 'j2');
    expect(A.nextJob(s, 2)).toBeUndefined();
    expect(A.nextJob(A.setAppInfo(s, { version: '', shell: 'web', engine: { state: 'ready' }, renderSlots: 3 }), 3)?.jobId).toBe('j3');
  });

  it('takes arriving out of order keep their grid order; the first is heard, later ones do not interrupt', () => {
    const s = gridState([2, 0, 1]);
    expect(A.gridTakes(s, 'g')).toEqual(['t1', 't2', 't3']);
    expect(s.transport.source).toBe('t3');
  });

  it('steps through the takes with one key each, wrapping, at matched loudness', () => {
    let s = A.selectSource(gridState(), 'c1');
    s = A.compareStep(s, 1);
    expect(s.transport.source).toBe('t1');
    s = A.compareStep(A.compareStep(s, 1), 1);
    expect(s.transport.source).toBe('t3');
    expect(A.compareStep(s, 1).transport.source).toBe('t1');
    expect(A.compareStep(A.compareStep(s, 1), -1).transport.source).toBe('t3');
    // Each is heard at the same loudness: its measured LUFS plus its gain is the same for all.
    const heardLufs = ['t1', 't2', 't3'].map((id) => {
      const at = A.selectSource(s, id);
      return at.tracks[id].info.loudness!.lufs! + 20 * Math.log10(trackGains(at)[id]);
    });
    for (const l of heardLufs) expect(l).toBeCloseTo(heardLufs[0], 6);
    // No compare view open: the keys do nothing.
    const closed = A.openCompare(s, null);
    expect(A.compareStep(closed, 1)).toBe(closed);
  });

  it('marks favourites, drops the rest (undoably), and lists the marked ones for export', () => {
    let s = gridState();
    expect(A.dropUnmarked(s, { gridId: 'g' })).toBe(s);
    s = A.toggleMark(A.toggleMark(A.toggleMark(s, 't1'), 't3'), 't1');
    expect(A.markedTakes(s, 'g')).toEqual(['t3']);
    s = A.toggleMark(s, 't2');
    expect(A.markedTakes(s, 'g')).toEqual(['t2', 't3']);
    s = A.dropUnmarked(s, { gridId: 'g', at: 1 });
    expect(s.takeIds).toEqual(['t2', 't3']);
    expect(A.gridTakes(s, 'g')).toEqual(['t2', 't3']);
    s = A.undo(s, undefined);
    expect(s.takeIds).toContain('t1');
  });
});
