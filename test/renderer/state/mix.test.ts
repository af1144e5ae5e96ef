/** What is heard: Listen, Solo and Mute agree; loudness matching makes every lane equally loud; dry/wet blends. */
import { describe, expect, it } from 'vitest';
import type { Track } from '../../../common/contract';
import { BUILTIN_PRESETS } from '../../../common/preset';
import { takeMetrics } from '../../fixtures/metrics';
import { initialState, type AppState } from '../../../renderer/state/app-state';
import * as A from '../../../renderer/state/actions';
import { MATCH_CEILING_DB, audibleTracks, dryGain, matchGainsDb, takeWet, trackGains } from '../../../renderer/state/mix';

const track = (id: string, kind: Track['kind'], lufs: number | null, peak: number, contentId = 'c1'): Track => ({
  id,
  kind,
  info: { name: id, sampleRate: 22050, channels: 1, frames: 22050, duration: 1, format: 'x', warnings: [], loudness: { lufs, peak } },
  ...(kind === 'take'
    ? {
        take: {
          jobId: 'j',
          preset: BUILTIN_PRESETS[0],
          metrics: takeMetrics(),
          warnings: [],
          contentName: 'c.wav',
          styleName: 's.wav',
          contentId,
          exported: false,
        },
      }
    : {}),
});

// Measured levels like the issue's: content −20 LUFS, style −16, a quiet take −35.
const state = (): AppState => [track('c1', 'content', -20, 0.5), track('s1', 'style', -16, 0.7), track('t1', 'take', -35, 0.05)].reduce(A.addTrack, initialState());
const db = (g: number) => 20 * Math.log10(g);

describe('listening', () => {
  it('Listen and Solo agree: soloed lanes are heard; choosing a lane to listen to clears the solos', () => {
    let s = state();
    s = A.toggleSolo(A.toggleSolo(s, 's1'), 't1');
    expect(audibleTracks(s)).toEqual({ c1: false, s1: true, t1: true });
    s = A.selectSourceIndex(s, 0);
    expect(audibleTracks(s)).toEqual({ c1: true, s1: false, t1: false });
    expect(Object.values(s.flags).some((f) => f.solo)).toBe(false);
    s = A.toggleMute(s, 'c1');
    expect(audibleTracks(s).c1).toBe(false);
  });

  it('every lane plays at one loudness, the loudest none of them clips at', () => {
    const g = matchGainsDb([
      { id: 'a', lufs: -20, peak: 0.5 },
      { id: 'b', lufs: -35, peak: 0.05 },
      { id: 'silent', lufs: null, peak: 0 },
    ]);
    expect(-20 + g.a).toBeCloseTo(-35 + g.b, 9);
    // a has the least headroom: its peak lands exactly on the ceiling, b's stays under it.
    expect(db(0.5) + g.a).toBeCloseTo(MATCH_CEILING_DB, 9);
    expect(db(0.05) + g.b).toBeLessThan(MATCH_CEILING_DB);
    expect(g.silent).toBe(0);
  });

  it('A/B at matched loudness: each lane, when heard, reaches the same loudness; off, all at unity', () => {
    let s = state();
    const heardAt = (i: number) => {
      s = A.selectSourceIndex(s, i);
      const gains = trackGains(s);
      const id = A.laneOrder(s)[i];
      return s.tracks[id].info.loudness!.lufs! + db(gains[id]);
    };
    const levels = [0, 1, 2].map(heardAt);
    expect(Math.max(...levels) - Math.min(...levels)).toBeLessThan(1e-9);
    s = A.setMatchLoudness(s, false);
    expect(Object.values(trackGains(A.selectSourceIndex(s, 1))).sort()).toEqual([0, 0, 1]);
  });

  it('a take below 100 % wet gives the rest to its content, at the content’s matched gain', () => {
    let s = A.selectSourceIndex(state(), 2);
    s = A.setWet(s, { id: 't1', wet: 0.25 });
    const full = trackGains(A.setWet(s, { id: 't1', wet: 1 }));
    const g = trackGains(s);
    expect(g.t1).toBeCloseTo(0.25 * full.t1, 9);
    expect(g.c1).toBeGreaterThan(0);
    expect(dryGain(s, 't1')).toBeCloseTo(Math.pow(10, (-20 - -35) / -20), 6);
    // A take whose content was replaced cannot be blended: it plays alone.
    const other = A.addTrack(s, track('c2', 'content', -20, 0.5));
    expect(takeWet(other, 't1')).toEqual({ wet: 1, blendable: false });
  });
});

describe("a lane's own gain", () => {
  it('adds to the loudness match, in dB, clamped, and only for loaded tracks', () => {
    let s = A.selectSource(state(), 't1');
    const before = trackGains(s).t1;
    s = A.setLaneGain(s, { id: 't1', db: -6 });
    expect(db(trackGains(s).t1) - db(before)).toBeCloseTo(-6, 6);
    expect(A.setLaneGain(s, { id: 't1', db: 99 }).mix.gainDb.t1).toBe(A.LANE_GAIN_DB.max);
    expect(A.setLaneGain(s, { id: 't1', db: Number.NaN }).mix.gainDb.t1).toBe(0);
    expect(A.setLaneGain(s, { id: 'nope', db: 3 })).toBe(s);
  });
});
