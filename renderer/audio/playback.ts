/**
 * The transport as the controller sees it. The real one is Tone.js (`tone-playback.ts`);
 * tests pass a fake. Positions are seconds on the content's timeline: a take rendered from
 * a region starts at the region's start, so A/B switching lands on the same musical spot.
 */
import type { Region } from '../../common/audio';

export interface PlaybackSource {
  sampleRate: number;
  /** One Float32Array per channel, same length. */
  channels: Float32Array[];
  /** Where on the timeline the first sample plays, seconds. */
  offset: number;
}

export interface Playback {
  /** Add or replace the audio of a track. */
  setSource(id: string, src: PlaybackSource): void;
  removeSource(id: string): void;
  /** Which tracks are heard; switching ramps gains over a few ms so there is no click. */
  setAudible(audible: Record<string, boolean>): void;
  play(): Promise<void>;
  pause(): void;
  /** Stop and return to the loop start (or 0). */
  stop(): void;
  seek(seconds: number): void;
  setLoop(region: Region | null): void;
  /** Current transport position in seconds (called per animation frame). */
  position(): number;
  isPlaying(): boolean;
  /** Longest source end, seconds. */
  duration(): number;
}

/** A silent playback that only keeps time, for tests and when Web Audio is unavailable. */
export function createClockPlayback(now: () => number = () => performance.now() / 1000): Playback & { audible: Record<string, boolean> } {
  const sources = new Map<string, PlaybackSource>();
  let startedAt = 0;
  let base = 0;
  let playing = false;
  let loop: Region | null = null;
  const dur = () => Math.max(0, ...[...sources.values()].map((s) => s.offset + s.channels[0].length / s.sampleRate));
  const raw = () => (playing ? base + now() - startedAt : base);
  const self = {
    audible: {} as Record<string, boolean>,
    setSource: (id: string, s: PlaybackSource) => void sources.set(id, s),
    removeSource: (id: string) => void sources.delete(id),
    setAudible(a: Record<string, boolean>) {
      self.audible = { ...a };
    },
    async play() {
      if (playing) return;
      startedAt = now();
      playing = true;
    },
    pause() {
      base = raw();
      playing = false;
    },
    stop() {
      playing = false;
      base = loop?.start ?? 0;
    },
    seek(s: number) {
      base = Math.max(0, s);
      startedAt = now();
    },
    setLoop(r: Region | null) {
      loop = r;
    },
    position() {
      const p = raw();
      if (loop && p >= loop.end) return loop.start + ((p - loop.start) % (loop.end - loop.start));
      return p;
    },
    isPlaying: () => playing,
    duration: dur,
  };
  return self;
}
