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
  addSpan,
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

/** A take of 60 s at 2 s on the timeline whose first `rendered` seconds have arrived. */
const upTo = (rendered: number) => ({ offset: 2, total: 60, rendered, spans: rendered > 0 ? [{ from: 0, to: rendered }] : [], waiting: false });
const take = upTo(1.2);

describe('streamGate', () => {
  it('waits before playback overtakes what has arrived, and resumes with a lead', () => {
    expect(streamGate(take, 2.5, true)).toBe('keep');
    expect(streamGate(take, 2 + 1.2 - WAIT_GUARD_S, true)).toBe('wait');
    expect(streamGate(take, 3.5, false), 'stopped: nothing to hold').toBe('keep');
    expect(streamGate(upTo(0), 2, true), 'nothing yet: Play waits').toBe('wait');
    const held = { ...take, waiting: true };
    expect(streamGate(held, 3.1, false)).toBe('keep');
    expect(streamGate({ ...upTo(1.1 + RESUME_LEAD_S + 0.1), waiting: true }, 3.1, false)).toBe('resume');
    expect(streamGate({ ...upTo(60), waiting: true }, 3.1, false), 'complete').toBe('resume');
    expect(streamGate(upTo(60), 61.95, true), 'complete: never held').toBe('keep');
  });

  it('from a playhead: plays in the stretch that arrived there, waits before it and past it', () => {
    const fromPlayhead = { offset: 2, total: 60, rendered: 3, spans: [{ from: 30, to: 33 }], waiting: false };
    expect(streamGate(fromPlayhead, 32, true)).toBe('keep');
    expect(streamGate(fromPlayhead, 2 + 33 - WAIT_GUARD_S, true)).toBe('wait');
    expect(streamGate(fromPlayhead, 2 + 29.9, true), 'just before it: nothing there yet').toBe('wait');
    expect(streamGate({ ...fromPlayhead, waiting: true }, 2 + 31, false), 'a lead of 2 s ahead').toBe('resume');
    expect(streamGate({ ...fromPlayhead, waiting: true }, 2 + 32.5, false)).toBe('keep');
  });
});

describe('addSpan', () => {
  it('merges what touches, keeps what does not, in order', () => {
    let spans = addSpan([], 30, 31.5);
    spans = addSpan(spans, 31.5, 34);
    expect(spans).toEqual([{ from: 30, to: 34 }]);
    spans = addSpan(spans, 0, 1);
    expect(spans).toEqual([
      { from: 0, to: 1 },
      { from: 30, to: 34 },
    ]);
    expect(addSpan(addSpan(spans, 1, 20), 20, 30)).toEqual([{ from: 0, to: 34 }]);
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
    let s = streamStarted(initialState(), { jobId: 'j', name: 'Take', settings: 'x', offset: 0, total: 10, from: 0 });
    expect(s.transport.source).toBe(STREAM_VOICE);
    s = streamRendered(s, { jobId: 'j', at: 0, seconds: 1.3 });
    expect(s.stream?.rendered).toBe(1.3);
    expect(streamRendered(s, { jobId: 'other', at: 1.3, seconds: 5 })).toBe(s);
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
