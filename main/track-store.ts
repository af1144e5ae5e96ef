/**
 * The tracks main holds for the renderer, by id: inputs (with their original file, as bytes
 * or as a path the engine reads, sent to the engine for each render, and their decoded
 * channels for playback) and rendered takes
 * (mono samples at the engine rate, with how they were made). Audio stays here; the renderer
 * gets it only when it asks to play or draw it.
 */
import type { AudioInfo, TakeResult } from '../common/audio';
import type { AudioFile } from '../common/engine-api';
import type { Lane, Track } from '../common/contract';
import { GramophoneError } from '../common/errors';

export interface InputEntry {
  kind: Lane;
  id: string;
  info: AudioInfo;
  /** The file exactly as loaded: its bytes, or (an upload main keeps on disk) its path. */
  file: AudioFile;
  /** Decoded channels, each `info.frames` samples in [-1, 1]. */
  channels: Float32Array[];
}

export interface TakeEntry {
  kind: 'take';
  id: string;
  info: AudioInfo;
  result: TakeResult;
  region?: { start: number; end: number };
}

export type TrackEntry = InputEntry | TakeEntry;

/** In-memory track registry; one input per lane (loading a lane replaces its track). */
export class TrackStore {
  private readonly tracks = new Map<string, TrackEntry>();
  private seq = 0;
  private takeCount = 0;

  /** @param onDropInput told when an input leaves the store (replaced on its lane, or removed) */
  constructor(private readonly onDropInput: (entry: InputEntry) => void = () => undefined) {}

  private newId(prefix: string) {
    return `${prefix}-${(++this.seq).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  }

  /** Put a decoded file on a lane, replacing what was there. */
  addInput(kind: Lane, info: AudioInfo, file: AudioFile, channels: Float32Array[]): InputEntry {
    for (const [id, t] of this.tracks) {
      if (t.kind !== kind) continue;
      this.tracks.delete(id);
      this.onDropInput(t);
    }
    const entry: InputEntry = { kind, id: this.newId(kind), info, file, channels };
    this.tracks.set(entry.id, entry);
    return entry;
  }

  /** Keep a finished render as a new take. */
  addTake(result: TakeResult, region?: { start: number; end: number }): TakeEntry {
    const n = ++this.takeCount;
    const frames = result.samples.length;
    const info: AudioInfo = {
      name: `Take ${n} - ${result.preset.name}`.slice(0, 255),
      sampleRate: result.sampleRate,
      channels: 1,
      frames,
      duration: frames / result.sampleRate,
      format: 'float 32-bit (render)',
      warnings: result.warnings.slice(0, 20),
    };
    const entry: TakeEntry = { kind: 'take', id: this.newId('take'), info, result, region };
    this.tracks.set(entry.id, entry);
    return entry;
  }

  get(id: string): TrackEntry {
    const t = this.tracks.get(id);
    if (!t) throw new GramophoneError('INVALID_INPUT', 'That track is no longer loaded; load it again.');
    return t;
  }

  input(id: string, role: string): InputEntry {
    const t = this.get(id);
    if (t.kind === 'take') throw new GramophoneError('INVALID_INPUT', `The ${role} must be a loaded file, not a take.`);
    return t;
  }

  take(id: string): TakeEntry {
    const t = this.get(id);
    if (t.kind !== 'take') throw new GramophoneError('INVALID_INPUT', `"${t.info.name}" is an input file, not a take; only takes are exported.`);
    return t;
  }

  remove(id: string): boolean {
    const t = this.tracks.get(id);
    if (!t) return false;
    this.tracks.delete(id);
    if (t.kind !== 'take') this.onDropInput(t);
    return true;
  }

  /** Every track: the content, then the style, then the takes in render order. */
  list(): TrackEntry[] {
    const all = [...this.tracks.values()];
    const rank = (t: TrackEntry) => (t.kind === 'content' ? 0 : t.kind === 'style' ? 1 : 2);
    // Array sort is stable, so takes keep their insertion (render) order.
    return all.sort((a, b) => rank(a) - rank(b));
  }

  /** Every take, in render order. */
  takes(): TakeEntry[] {
    return [...this.tracks.values()].filter((t): t is TakeEntry => t.kind === 'take');
  }
}

/** The contract's view of a stored track. */
export function toTrack(t: TrackEntry): Track {
  if (t.kind !== 'take') return { id: t.id, kind: t.kind, info: t.info };
  return {
    id: t.id,
    kind: 'take',
    info: t.info,
    take: { jobId: t.result.jobId, preset: t.result.preset, metrics: t.result.metrics, region: t.region, warnings: t.result.warnings },
  };
}
