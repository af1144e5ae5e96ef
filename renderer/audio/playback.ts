/**
 * The transport as the controller sees it. The real one is Tone.js (`tone-playback.ts`);
 * tests pass a clock (test/fixtures/renderer/clock-playback.ts). Positions are seconds on the content's timeline: a take rendered from
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
  /**
   * Add a piece of source `id` (a streaming take's chunk): it plays at its offset with no fade
   * at its edges, so pieces that meet sample to sample play as one. Creates the source if new.
   */
  addPiece(id: string, piece: PlaybackSource): void;
  /** The level of source `id` before its gain (a streaming take's normalising gain), linear, ramped. */
  setLevel(id: string, level: number): void;
  /**
   * Replace source `id` by `src` when the transport next reaches `at` seconds on the timeline
   * (a loop's start), crossfading over `fade` seconds; at once when the transport is stopped.
   * Resolves with the time of the swap on the audio clock (`clock()`).
   */
  swapAt(id: string, src: PlaybackSource, at: number, fade: number): Promise<number>;
  /** The page's audio clock, seconds (the AudioContext's currentTime). */
  clock(): number;
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
