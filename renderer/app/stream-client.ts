/**
 * A streaming take on the page: its chunks (`renderChunk` events, straight from the engine
 * through main) play as they arrive, its lane fills, and playback waits at the end of what
 * has arrived rather than play silence (renderer/state/stream.ts decides when). When the
 * render ends, the samples already here become the take's audio: nothing is fetched again.
 */
import type { TakeChunk } from '../../common/audio';
import type { Track } from '../../common/contract';
import type { Playback } from '../audio/playback';
import type { Store } from '../state/store';
import { STREAM_VOICE, arrivedAt, streamEnded, streamGate, streamRendered, streamStarted, streamWaiting, type StreamTake } from '../state/stream';
import type { AudioData } from './tracks-client';

/** How often playback is checked against what has arrived, ms. */
const GATE_MS = 40;

/** What the controller needs to know of a stream while it runs. */
interface Running {
  jobId: string;
  offset: number;
  /** The raw take, filled as chunks arrive (times `gain` for its level). */
  samples: Float32Array | null;
  sampleRate: number;
  gain: number;
  /** Samples that have arrived (each is sent once). */
  received: number;
}

export class StreamClient {
  private running: Running | null = null;
  private gate: ReturnType<typeof setInterval> | null = null;
  /** Seconds of audio-clock time from Render to the first chunk, per job (for the e2e and the status line). */
  readonly firstSound = new Map<string, number>();
  private startedAt = 0;

  constructor(
    private readonly store: Store,
    private readonly playback: Playback,
  ) {}

  /**
   * Where a stream of the take over [offset, offset + total) seconds on the timeline starts
   * rendering: at the playhead when it lies inside, else at the take's start.
   * @returns seconds from the take's start
   */
  startFor(offset: number, total: number): number {
    const at = this.playback.position() - offset;
    return at > 0 && at < total ? at : 0;
  }

  /** A streaming render starts: its lane appears at once, empty, and is what the transport plays. */
  start(t: Omit<StreamTake, 'rendered' | 'waiting' | 'spans'>): void {
    this.stop(this.running?.jobId);
    this.playback.removeSource(STREAM_VOICE);
    this.running = { jobId: t.jobId, offset: t.offset, samples: null, sampleRate: 0, gain: 1, received: 0 };
    this.startedAt = this.playback.clock();
    this.store.dispatch(streamStarted, t);
    this.gate = setInterval(() => this.check(), GATE_MS);
  }

  /** Whether `jobId` is the stream this client plays. */
  owns(jobId: string): boolean {
    return this.running?.jobId === jobId;
  }

  /** A chunk of the running stream: heard in place, and its lane fills. */
  onChunk(c: TakeChunk): void {
    const r = this.running;
    if (!r || r.jobId !== c.jobId) return;
    if (!r.samples) {
      r.samples = new Float32Array(c.total);
      r.sampleRate = c.sampleRate;
      this.firstSound.set(c.jobId, this.playback.clock() - this.startedAt);
    }
    r.samples.set(c.samples.subarray(0, Math.max(0, r.samples.length - c.at)), c.at);
    r.gain = c.gain;
    r.received += c.samples.length;
    this.playback.addPiece(STREAM_VOICE, { sampleRate: c.sampleRate, channels: [c.samples], offset: r.offset + c.at / c.sampleRate });
    this.playback.setLevel(STREAM_VOICE, c.gain);
    this.store.dispatch(streamRendered, { jobId: c.jobId, at: c.at / c.sampleRate, seconds: c.samples.length / c.sampleRate });
    this.check();
  }

  /**
   * The render finished: the streamed samples at their final level, to become the take's
   * audio (null when they did not all arrive, and the take's audio must be fetched).
   */
  finish(take: Track): AudioData | null {
    const r = this.running;
    if (!r?.samples || r.jobId !== take.take?.jobId || r.received < r.samples.length) return null;
    const out = new Float32Array(r.samples.length);
    for (let i = 0; i < out.length; i++) out[i] = r.samples[i] * r.gain;
    return { sampleRate: r.sampleRate, channels: [out] };
  }

  /** Stop following `jobId` (done, failed or cancelled): its lane goes and playback is no longer held. */
  stop(jobId: string | undefined): void {
    if (!jobId || this.running?.jobId !== jobId) return;
    if (this.gate) clearInterval(this.gate);
    this.gate = null;
    const waiting = this.store.getState().stream?.waiting;
    this.running = null;
    this.store.dispatch(streamEnded, jobId);
    if (waiting && this.store.getState().transport.playing) void this.playback.play();
    // Its gain has ramped to 0 as the take took over; its players go a moment later.
    setTimeout(() => {
      if (!this.running) this.playback.removeSource(STREAM_VOICE);
    }, 250);
  }

  /** Hold or release playback at the end of what has arrived. */
  private check(): void {
    const t = this.store.getState().stream;
    if (!t) return;
    const gate = streamGate(t, this.playback.position(), this.playback.isPlaying());
    if (gate === 'wait') {
      this.playback.pause();
      // Held a moment before the end of the stretch it is in, so it resumes mid-phrase; where
      // nothing has arrived yet, it waits where it is.
      const here = arrivedAt(t, this.playback.position() - t.offset);
      if (here) this.playback.seek(t.offset + Math.max(here.from, here.to - 0.15));
      this.store.dispatch(streamWaiting, true);
    } else if (gate === 'resume') {
      this.store.dispatch(streamWaiting, false);
      // Stopped or paused by hand while it waited: it stays so.
      if (this.store.getState().transport.playing) void this.playback.play();
    }
  }
}
