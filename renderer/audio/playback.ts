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
  /** Each track's linear gain (0 = not heard); changes ramp over a few ms so there is no click. */
  setGains(gains: Record<string, number>): void;
  /** Master volume, dB. */
  setMasterDb(db: number): void;
  /** The level leaving the master right now: sample peak and RMS over the last few tens of ms, linear. */
  levels(): { peak: number; rms: number };
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

/** How much audio a level reading covers, seconds. */
export const METER_WINDOW_S = 0.05;

/**
 * A silent playback that only keeps time, for tests and when Web Audio is unavailable. Its
 * meter reads what would be playing: the sources at the position, times their gains.
 */
export function createClockPlayback(now: () => number = () => performance.now() / 1000): Playback & { gains: Record<string, number>; masterDb: number } {
  const sources = new Map<string, PlaybackSource>();
  let startedAt = 0;
  let base = 0;
  let playing = false;
  let loop: Region | null = null;
  const dur = () => Math.max(0, ...[...sources.values()].map((s) => s.offset + s.channels[0].length / s.sampleRate));
  const raw = () => (playing ? base + now() - startedAt : base);
  const self = {
    gains: {} as Record<string, number>,
    masterDb: 0,
    setSource: (id: string, s: PlaybackSource) => void sources.set(id, s),
    removeSource: (id: string) => void sources.delete(id),
    setGains(g: Record<string, number>) {
      self.gains = { ...g };
    },
    setMasterDb(db: number) {
      self.masterDb = db;
    },
    levels() {
      // The mix over the meter window, read on a 16 kHz grid: plenty for a level.
      const t = self.position();
      const master = Math.pow(10, self.masterDb / 20);
      const points = Math.round(METER_WINDOW_S * 16000);
      let peak = 0;
      let sum = 0;
      for (let k = 0; k < points; k++) {
        let v = 0;
        for (const [id, src] of sources) {
          const i = Math.floor((t + k / 16000 - src.offset) * src.sampleRate);
          if (i >= 0 && i < src.channels[0].length) v += (self.gains[id] ?? 0) * src.channels[0][i];
        }
        v *= master;
        peak = Math.max(peak, Math.abs(v));
        sum += v * v;
      }
      return { peak, rms: Math.sqrt(sum / points) };
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
