/**
 * The streaming take and the live loop as pure decisions (issue 19): playback waits at the
 * end of what has arrived and resumes with a lead, the swap lands on the loop's start, a
 * change cancels the stale re-render and starts the newest, and the state follows.
 */
import { describe, expect, it } from 'vitest';
import { initialState } from '../../../renderer/state/app-state';
import {
  LIVE_OFF,
  LIVE_VOICE,
  RESUME_LEAD_S,
  STREAM_VOICE,
  WAIT_GUARD_S,
  liveChange,
  livePending,
  liveSwapped,
  setLive,
  streamEnded,
  streamGate,
  streamRendered,
  streamStarted,
} from '../../../renderer/state/stream';
import { secondsToLoopStart } from '../../../renderer/audio/loop-boundary';

const take = { offset: 2, total: 60, rendered: 1.2, waiting: false };

describe('streamGate', () => {
  it('waits before playback overtakes what has arrived, and resumes with a lead', () => {
    expect(streamGate(take, 2.5, true)).toBe('keep');
    expect(streamGate(take, 2 + 1.2 - WAIT_GUARD_S, true)).toBe('wait');
    expect(streamGate(take, 3.5, false), 'stopped: nothing to hold').toBe('keep');
    expect(streamGate({ ...take, rendered: 0 }, 2, true), 'nothing yet: Play waits').toBe('wait');
    const held = { ...take, waiting: true };
    expect(streamGate(held, 3.1, false)).toBe('keep');
    expect(streamGate({ ...held, rendered: 1.1 + RESUME_LEAD_S + 0.1 }, 3.1, false)).toBe('resume');
    expect(streamGate({ ...held, rendered: 60 }, 3.1, false), 'complete').toBe('resume');
    expect(streamGate({ ...take, rendered: 60 }, 61.95, true), 'complete: never held').toBe('keep');
  });
});

describe('live loop decisions', () => {
  it('the swap waits for the next pass of the loop start', () => {
    const loop = { start: 4, end: 8 };
    expect(secondsToLoopStart(5, loop)).toBeCloseTo(3);
    expect(secondsToLoopStart(7.99, loop)).toBeCloseTo(0.01);
    expect(secondsToLoopStart(4, loop), 'at the start: a whole loop on').toBeCloseTo(4);
    expect(secondsToLoopStart(1, loop), 'before the loop').toBeCloseTo(3);
  });

  it('a change cancels the stale re-render and starts the newest; nothing while off or unchanged', () => {
    const on = { ...LIVE_OFF, on: true };
    expect(liveChange(LIVE_OFF, true, 'a')).toEqual({ cancel: null, start: false });
    expect(liveChange(on, false, 'a'), 'no loop').toEqual({ cancel: null, start: false });
    expect(liveChange(on, true, 'a')).toEqual({ cancel: null, start: true });
    const pending = { ...on, pending: { jobId: 'j1', settings: 'a', ready: false } };
    expect(liveChange(pending, true, 'b')).toEqual({ cancel: 'j1', start: true });
    expect(liveChange(pending, true, 'a'), 'the same settings again').toEqual({ cancel: null, start: false });
    const sounding = { ...on, sounding: { jobId: 'j0', settings: 'a' } };
    expect(liveChange(sounding, true, 'a')).toEqual({ cancel: null, start: false });
  });
});

describe('stream and live actions', () => {
  it('a stream is heard from its start, fills, and goes when done', () => {
    let s = streamStarted(initialState(), { jobId: 'j', name: 'Take', settings: 'x', offset: 0, total: 10 });
    expect(s.transport.source).toBe(STREAM_VOICE);
    s = streamRendered(s, { jobId: 'j', rendered: 1.3 });
    expect(s.stream?.rendered).toBe(1.3);
    expect(streamRendered(s, { jobId: 'other', rendered: 5 })).toBe(s);
    expect(streamEnded(s, 'j').stream).toBeNull();
  });

  it('live: pending, then sounding at the swap; off goes back to a lane', () => {
    let s = setLive(initialState(), true);
    s = livePending(s, { jobId: 'j', settings: 'x' });
    expect(s.live.pending).toMatchObject({ jobId: 'j', ready: false });
    s = liveSwapped(s, 'j');
    expect(s.live).toMatchObject({ sounding: { jobId: 'j', settings: 'x' }, pending: null });
    expect(s.transport.source).toBe(LIVE_VOICE);
    expect(liveSwapped(s, 'stale')).toBe(s);
    s = setLive(s, false);
    expect(s.live).toEqual(LIVE_OFF);
    expect(s.transport.source).not.toBe(LIVE_VOICE);
  });
});
