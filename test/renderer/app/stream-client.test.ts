/**
 * A streaming take on the page (issue 19): chunks become playback pieces and fill the lane,
 * playback is held at the end of what has arrived and goes on when the next chunk lands, a
 * stop made while held stays a stop, and the finished take's audio is the chunks at the last
 * gain (nothing fetched again); a take rendered from the playhead is heard from there first.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TakeChunk } from '../../../common/audio';
import type { Track } from '../../../common/contract';
import { StreamClient } from '../../../renderer/app/stream-client';
import { TransportControl } from '../../../renderer/app/transport-control';
import { initialState } from '../../../renderer/state/app-state';
import { createStore } from '../../../renderer/state/store';
import * as A from '../../../renderer/state/actions';
import { STREAM_VOICE } from '../../../renderer/state/stream';
import { createClockPlayback } from '../../fixtures/renderer/clock-playback';

const RATE = 1000;
const chunk = (at: number, length: number, gain: number): TakeChunk => ({
  jobId: 'j',
  at,
  samples: Float32Array.from({ length }, (_, i) => Math.sin(at + i)),
  gain,
  total: 3000,
  sampleRate: RATE,
  segment: { index: 0, count: 3 },
});

describe('StreamClient', () => {
  let now = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
  });
  afterEach(() => vi.useRealTimers());

  it('plays chunks as they arrive, waits at the end of them, and hands over the take', async () => {
    const store = createStore(initialState());
    const playback = createClockPlayback(() => now);
    const client = new StreamClient(store, playback);
    client.start({ jobId: 'j', name: 'Take', settings: 'x', offset: 2, total: 3, from: 0 });
    expect(store.getState().stream).toMatchObject({ rendered: 0, total: 3 });
    expect(store.getState().transport.source).toBe(STREAM_VOICE);

    // Play before anything has arrived: held at once.
    playback.seek(2);
    await playback.play();
    store.dispatch(A.setPlaying, true);
    vi.advanceTimersByTime(50);
    expect(store.getState().stream?.waiting).toBe(true);
    expect(playback.isPlaying()).toBe(false);

    client.onChunk(chunk(0, 1000, 2));
    expect(store.getState().stream).toMatchObject({ rendered: 1, waiting: false });
    expect(playback.isPlaying()).toBe(true);
    expect(playback.levelOf[STREAM_VOICE]).toBe(2);

    // It plays up to what has arrived, then holds there.
    now = 0.95;
    vi.advanceTimersByTime(50);
    expect(store.getState().stream?.waiting).toBe(true);
    expect(playback.position()).toBeLessThanOrEqual(3);

    // Stopped by hand while held: the next chunk does not start it again.
    playback.stop();
    store.dispatch(A.setPlaying, false);
    client.onChunk(chunk(1000, 2000, 1.5));
    expect(store.getState().stream?.waiting).toBe(false);
    expect(playback.isPlaying()).toBe(false);

    const audio = client.finish({ id: 't', kind: 'take', take: { jobId: 'j' } } as unknown as Track);
    expect(audio?.channels[0].length).toBe(3000);
    expect(audio!.channels[0][1500]).toBeCloseTo(Math.sin(1500) * 1.5, 5);
    client.stop('j');
    expect(store.getState().stream).toBeNull();
  });

  it('a take whose chunks did not all arrive is fetched as any other', () => {
    const store = createStore(initialState());
    const client = new StreamClient(
      store,
      createClockPlayback(() => now),
    );
    client.start({ jobId: 'j', name: 'Take', settings: 'x', offset: 0, total: 3, from: 0 });
    client.onChunk(chunk(0, 1000, 1));
    expect(client.finish({ id: 't', kind: 'take', take: { jobId: 'j' } } as unknown as Track)).toBeNull();
  });

  it('from the playhead: starts there, plays what arrived there, and waits where nothing has yet', async () => {
    const store = createStore(initialState());
    const playback = createClockPlayback(() => now);
    const client = new StreamClient(store, playback);
    playback.seek(3.5);
    expect(client.startFor(2, 3), 'the playhead, from the take start').toBeCloseTo(1.5);
    playback.seek(1);
    expect(client.startFor(2, 3), 'before the take: its start').toBe(0);
    playback.seek(3.5);
    client.start({ jobId: 'j', name: 'Take', settings: 'x', offset: 2, total: 3, from: 1.5 });
    await playback.play();
    store.dispatch(A.setPlaying, true);
    vi.advanceTimersByTime(50);
    expect(store.getState().stream?.waiting).toBe(true);
    expect(playback.position(), 'held where it is, not sent back to the start').toBeCloseTo(3.5);
    // The stretch from the playhead on arrives first: heard at once.
    client.onChunk(chunk(1500, 1500, 1));
    expect(store.getState().stream).toMatchObject({ rendered: 1.5, waiting: false, spans: [{ from: 1.5, to: 3 }] });
    expect(playback.isPlaying()).toBe(true);
    // Then the part before it: the lane fills as one stretch, and the take is handed over whole.
    client.onChunk(chunk(0, 1500, 1));
    expect(store.getState().stream?.spans).toEqual([{ from: 0, to: 3 }]);
    expect(client.finish({ id: 't', kind: 'take', take: { jobId: 'j' } } as unknown as Track)?.channels[0].length).toBe(3000);
  });

  it('Play pressed before anything has arrived holds at once, and the first chunk starts it', async () => {
    const store = createStore(initialState());
    const playback = createClockPlayback(() => now);
    const client = new StreamClient(store, playback);
    const transport = new TransportControl(store, playback);
    client.start({ jobId: 'j', name: 'Take', settings: 'x', offset: 0, total: 3, from: 0 });
    await transport.togglePlay();
    expect(playback.isPlaying(), 'never started into silence').toBe(false);
    expect(store.getState().stream?.waiting).toBe(true);
    expect(store.getState().transport.playing).toBe(true);
    client.onChunk(chunk(0, 1000, 1));
    expect(playback.isPlaying()).toBe(true);
    expect(store.getState().stream?.waiting).toBe(false);
  });
});
