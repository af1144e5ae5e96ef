/** The page's part of a session: what a restart brings back, and a stored part that no longer fits is trimmed, never trusted. */
import { describe, expect, it } from 'vitest';
import type { Track } from '../../../common/contract';
import { builtinPreset } from '../../../common/preset';
import { LANE_HEIGHT, initialState } from '../../../renderer/state/app-state';
import * as A from '../../../renderer/state/actions';
import { applySessionUi, sessionUi } from '../../../renderer/state/session-ui';

const input = (id: string, kind: 'content' | 'style' | 'take'): Track => ({
  id,
  kind,
  info: { name: `${id}.wav`, sampleRate: 22050, channels: 1, frames: 8 * 22050, duration: 8, format: 'PCM 16-bit', warnings: [] },
});
const lanes = () => [input('c1', 'content'), input('s1', 'style'), input('t1', 'take')].reduce(A.addTrack, initialState());

describe('session ui', () => {
  it('round-trips region, view, controls, mix, flags, source and the export choices through JSON', () => {
    let s = lanes();
    s = A.setRegion(s, { start: 1, end: 3 });
    s = A.setView(s, { pxPerSecond: 300, scroll: 2, colorMap: 'viridis', nFft: 4096, freqScale: 'linear' });
    s = A.setLaneHeight(s, { lane: 'take:t1', height: 260 });
    s = A.choosePreset(s, { preset: builtinPreset('Verma timbre')!, builtin: true });
    s = A.editField(s, { path: 'weights.style', value: 3 });
    s = A.setMatchLoudness(A.setMasterDb(A.setWet(s, { id: 't1', wet: 0.4 }), -6), false);
    s = A.toggleMute(A.selectSource(s, 't1'), 's1');
    s = A.setExportBlended(A.setExportFormat(s, { encoding: 'float32' }), true);
    s = A.setOverlay(A.setOverlay(s, 'intro'), null);
    s = A.setLaneGain(A.setView(s, { freqTop: 4000 }), { id: 't1', db: -3.5 });
    s = A.toggleMark(A.addDoneGrid(s, { gridId: 'g', title: 'Seed', cells: [{ label: 'seed 1', takeId: 't1' }] }), 't1');
    const stored = JSON.parse(JSON.stringify(sessionUi(s)));
    const back = applySessionUi(lanes(), stored);
    expect(sessionUi(back)).toEqual(sessionUi(s));
    expect(back.grids[0]).toMatchObject({ title: 'Seed', marked: ['t1'] });
    expect(back.mix.gainDb.t1).toBe(-3.5);
    // A grid whose takes are gone is not brought back.
    expect(applySessionUi(initialState(), stored).grids).toEqual([]);
    expect(back.preset.weights.style).toBe(3);
    expect(back.loaded.name).toBe('Verma timbre');
    expect(back.introSeen).toBe(true);
  });

  it('keeps only what is valid and refers to loaded tracks', () => {
    const s = lanes();
    const next = applySessionUi(s, {
      region: { start: 5, end: 2 },
      view: { pxPerSecond: 'wide', colorMap: 'rainbow', nFft: 3000, dbMin: -500, laneHeights: { 'take:gone': 300, content: 9999 } },
      controls: { preset: { name: 'bad' }, loaded: { name: 'x' } },
      source: 'gone',
      flags: { gone: { muted: true }, c1: { muted: true, solo: 'yes' } },
      mix: { matchLoudness: 'no', masterDb: 99, wet: { gone: 0.2, t1: 7 }, gainDb: { gone: 3, c1: 'loud' } },
      calibration: { optimise: -1 },
      exportFormat: { encoding: 'mp3' },
    });
    expect(next.region).toBeNull();
    expect(next.view).toMatchObject({ colorMap: 'magma', nFft: 2048, dbMin: -200, laneHeights: { content: LANE_HEIGHT.max } });
    expect(next.view.laneHeights['take:gone']).toBeUndefined();
    expect(next.preset).toEqual(s.preset);
    expect(next.transport.source).toBe('c1');
    expect(next.flags.c1).toEqual({ muted: true, solo: false, selected: false });
    expect(next.flags.gone).toBeUndefined();
    expect(next.mix).toEqual({ matchLoudness: true, masterDb: 12, wet: { t1: 1 }, gainDb: {} });
    expect(next.calibration).toEqual(s.calibration);
    expect(next.exportFormat).toEqual(s.exportFormat);
    expect(applySessionUi(s, null)).toBe(s);
    expect(applySessionUi(s, [1, 2])).toBe(s);
  });
});
