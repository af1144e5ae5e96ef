/**
 * Undo and redo as pure actions. An edit records the part of the state it changed (the
 * controls, the region, or one take) before and after; undo puts that part back and leaves
 * every other part alone, so a take rendered after a slider move survives undoing the move.
 * A drag (a slider, the region strip) is one step: edits of the same thing within a moment of
 * each other merge.
 */
import type { Region } from '../../common/audio';
import type { Track } from '../../common/contract';
import type { AppState, LoadedPreset } from './app-state';
import type { Preset } from '../../common/preset';

/** What an edit changed: the preset controls, the region, or the take with this id. */
export type Part = 'controls' | 'region' | `take:${string}`;

export interface HistoryEntry {
  part: Part;
  before: unknown;
  after: unknown;
  /** What the step was, in words ("Undo style weight"), and what merges with it. */
  label: string;
  /** When it was made, ms (edits carry their time so the actions stay pure). */
  at: number;
}

export interface History {
  past: HistoryEntry[];
  future: HistoryEntry[];
}

/** Steps kept. */
export const MAX_HISTORY_STEPS = 200;
/** Edits of the same thing closer than this merge into one step, ms (a drag's events). */
export const MERGE_MS = 800;

type Controls = { preset: Preset; loaded: LoadedPreset };
type TakeSlot = { track: Track; index: number } | null;

const DEFAULT_FLAGS = { muted: false, solo: false, selected: false };

/** The current value of a part. */
export function readPart(s: AppState, part: Part): unknown {
  if (part === 'controls') return { preset: s.preset, loaded: s.loaded } satisfies Controls;
  if (part === 'region') return s.region;
  const id = part.slice(5);
  const index = s.takeIds.indexOf(id);
  return index >= 0 ? ({ track: s.tracks[id], index } satisfies TakeSlot) : null;
}

/** `s` with a part set to a value `readPart` returned. */
export function writePart(s: AppState, part: Part, value: unknown): AppState {
  if (part === 'controls') {
    const c = value as Controls;
    return { ...s, preset: c.preset, loaded: c.loaded };
  }
  if (part === 'region') {
    const r = value as Region | null;
    return r ? { ...s, region: r } : { ...s, region: null, transport: { ...s.transport, loop: false } };
  }
  const id = part.slice(5);
  const slot = value as TakeSlot;
  const tracks = { ...s.tracks };
  const flags = { ...s.flags };
  const takeIds = s.takeIds.filter((t) => t !== id);
  if (!slot) {
    delete tracks[id];
    delete flags[id];
    const source = s.transport.source === id ? s.contentId : s.transport.source;
    return { ...s, tracks, flags, takeIds, transport: { ...s.transport, source } };
  }
  tracks[id] = slot.track;
  flags[id] = s.flags[id] ?? { ...DEFAULT_FLAGS };
  takeIds.splice(Math.min(slot.index, takeIds.length), 0, id);
  return { ...s, tracks, flags, takeIds };
}

/** Whether two values of a part are the same: identical, or objects whose fields are identical (a region by value). */
function samePart(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

/**
 * Make an action undoable: it records what it changed in `part` (nothing, if it changed
 * nothing there). `at` (ms) lets consecutive edits with the same label merge into one step.
 */
export function undoable<P>(action: (s: AppState, p: P) => AppState, part: (p: P) => Part, label: (p: P) => string) {
  return (s: AppState, payload: P & { at?: number }): AppState => {
    const which = part(payload);
    const before = readPart(s, which);
    const next = action(s, payload);
    const after = readPart(next, which);
    if (samePart(before, after)) return next;
    const at = payload.at ?? 0;
    const name = label(payload);
    const past = next.history.past;
    const last = past[past.length - 1];
    if (last && payload.at !== undefined && last.part === which && last.label === name && at - last.at < MERGE_MS) {
      return { ...next, history: { past: [...past.slice(0, -1), { ...last, after, at }], future: [] } };
    }
    const entry: HistoryEntry = { part: which, before, after, label: name, at };
    return { ...next, history: { past: [...past.slice(-(MAX_HISTORY_STEPS - 1)), entry], future: [] } };
  };
}

/** Undo the newest step; unchanged when there is none. */
export function undo(s: AppState): AppState {
  const entry = s.history.past[s.history.past.length - 1];
  if (!entry) return s;
  const next = writePart(s, entry.part, entry.before);
  return { ...next, history: { past: s.history.past.slice(0, -1), future: [...s.history.future, entry] } };
}

/** Redo the step undone last; unchanged when there is none. */
export function redo(s: AppState): AppState {
  const entry = s.history.future[s.history.future.length - 1];
  if (!entry) return s;
  const next = writePart(s, entry.part, entry.after);
  return { ...next, history: { past: [...s.history.past, entry], future: s.history.future.slice(0, -1) } };
}
