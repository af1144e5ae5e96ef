/**
 * The tracks main holds for the renderer, by id: inputs (with their original file, as bytes
 * or as a path the engine reads, sent to the engine for each render, and their decoded
 * channels for playback) and rendered takes
 * (mono samples at the engine rate, with how they were made). Audio stays here; the renderer
 * gets it only when it asks to play or draw it. A removed take is kept aside (not listed) so
 * an undo can put it back; the session store is told of every change.
 */
import type { AudioInfo, Loudness, Region, TakeResult } from '../common/audio';
import type { AudioFile } from '../common/engine-api';
import type { Lane, Track } from '../common/contract';
import { GramophoneError } from '../common/errors';

interface Entry {
  id: string;
  info: AudioInfo;
  /** Creation order: lanes list takes by it, and a take put back returns to its place. */
  seq: number;
}

export interface InputEntry extends Entry {
  kind: Lane;
  /** The file exactly as loaded: its bytes, or (an upload main keeps on disk) its path. */
  file: AudioFile;
  /** Decoded channels, each `info.frames` samples in [-1, 1]. */
  channels: Float32Array[];
}

export interface TakeEntry extends Entry {
  kind: 'take';
  result: TakeResult;
  region?: Region;
  /** The inputs that made it: names as loaded, and the content track's id. */
  contentName: string;
  styleName: string;
  contentId: string;
  /** Exported as a stem or saved in a session file since it was rendered. */
  exported: boolean;
}

export type TrackEntry = InputEntry | TakeEntry;

/** How a take was made, besides the render's result. */
export interface TakeOrigin {
  region?: Region;
  content: { id: string; name: string };
  styleName: string;
  loudness?: Loudness;
  /** What it is called after its number ("Take 3 - <name>"); the preset's name when missing. */
  name?: string;
}

/** A take as a session stored it: the same id, name and export state. */
export interface StoredTake {
  id: string;
  name: string;
  exported: boolean;
}

/** In-memory track registry; one input per lane (loading a lane replaces its track). */
export class TrackStore {
  private readonly tracks = new Map<string, TrackEntry>();
  private readonly removed = new Map<string, TakeEntry>();
  private readonly listeners = new Set<() => void>();
  private seq = 0;
  private takeCount = 0;

  /** @param onDropInput told when an input leaves the store (replaced on its lane, or removed) */
  constructor(private readonly onDropInput: (entry: InputEntry) => void = () => undefined) {}

  private newId(prefix: string) {
    return `${prefix}-${(++this.seq).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  }

  /** Be told after every change (the session store saves then). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed() {
    for (const l of [...this.listeners]) l();
  }

  /** Put a decoded file on a lane, replacing what was there; `id` keeps a restored session's. */
  addInput(kind: Lane, info: AudioInfo, file: AudioFile, channels: Float32Array[], id = this.newId(kind)): InputEntry {
    for (const [old, t] of this.tracks) {
      if (t.kind !== kind) continue;
      this.tracks.delete(old);
      this.onDropInput(t);
    }
    const entry: InputEntry = { kind, id, info, file, channels, seq: ++this.seq };
    this.tracks.set(entry.id, entry);
    this.changed();
    return entry;
  }

  /** Keep a finished render as a new take (or, with `stored`, a take a session held). */
  addTake(result: TakeResult, origin: TakeOrigin, stored?: StoredTake): TakeEntry {
    // New takes are numbered after every take so far, restored ones (and their numbers) included.
    const n = Number(/^Take (\d+)\b/.exec(stored?.name ?? '')?.[1] ?? this.takeCount + 1);
    this.takeCount = Math.max(this.takeCount, n);
    const frames = result.samples.length;
    const info: AudioInfo = {
      name: (stored?.name ?? `Take ${n} - ${origin.name ?? result.preset.name}`).slice(0, 200),
      sampleRate: result.sampleRate,
      channels: 1,
      frames,
      duration: frames / result.sampleRate,
      format: 'float 32-bit (render)',
      warnings: result.warnings.slice(0, 20),
      ...(origin.loudness ? { loudness: origin.loudness } : {}),
    };
    const entry: TakeEntry = {
      kind: 'take',
      id: stored?.id ?? this.newId('take'),
      info,
      result,
      region: origin.region,
      contentName: origin.content.name,
      styleName: origin.styleName,
      contentId: origin.content.id,
      exported: stored?.exported ?? false,
      seq: ++this.seq,
    };
    this.tracks.set(entry.id, entry);
    this.changed();
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

  /** Remove a track; a take is kept aside for `restore`. */
  remove(id: string): boolean {
    const t = this.tracks.get(id);
    if (!t) return false;
    this.tracks.delete(id);
    if (t.kind === 'take') this.removed.set(id, t);
    else this.onDropInput(t);
    this.changed();
    return true;
  }

  /** Put a removed take back in its place. */
  restore(id: string): TakeEntry {
    const t = this.removed.get(id);
    if (!t) throw new GramophoneError('INVALID_INPUT', 'That take can no longer be brought back.');
    this.removed.delete(id);
    this.tracks.set(id, t);
    this.changed();
    return t;
  }

  rename(id: string, name: string): TakeEntry {
    const t = this.take(id);
    t.info = { ...t.info, name: name.trim().slice(0, 200) };
    this.changed();
    return t;
  }

  /** Mark takes as exported (as stems, or in a saved session file). */
  markExported(ids: string[]): void {
    let any = false;
    for (const id of ids) {
      const t = this.tracks.get(id);
      if (t?.kind === 'take' && !t.exported) {
        t.exported = true;
        any = true;
      }
    }
    if (any) this.changed();
  }

  /** Forget everything (a new or opened session replaces this one). */
  clear(): void {
    for (const t of this.tracks.values()) if (t.kind !== 'take') this.onDropInput(t);
    this.tracks.clear();
    this.removed.clear();
    this.takeCount = 0;
    this.changed();
  }

  /** Every track: the content, then the style, then the takes in render order. */
  list(): TrackEntry[] {
    const rank = (t: TrackEntry) => (t.kind === 'content' ? 0 : t.kind === 'style' ? 1 : 2);
    return [...this.tracks.values()].sort((a, b) => rank(a) - rank(b) || a.seq - b.seq);
  }

  /** Every take, in render order. */
  takes(): TakeEntry[] {
    return this.list().filter((t): t is TakeEntry => t.kind === 'take');
  }

  /** Takes neither exported nor saved in a session file. */
  unexported(): TakeEntry[] {
    return this.takes().filter((t) => !t.exported);
  }
}

/** The contract's view of a stored track. */
export function toTrack(t: TrackEntry): Track {
  if (t.kind !== 'take') return { id: t.id, kind: t.kind, info: t.info };
  return {
    id: t.id,
    kind: 'take',
    info: t.info,
    take: {
      jobId: t.result.jobId,
      preset: t.result.preset,
      metrics: t.result.metrics,
      region: t.region,
      warnings: t.result.warnings,
      contentName: t.contentName,
      styleName: t.styleName,
      contentId: t.contentId,
      exported: t.exported,
    },
  };
}
