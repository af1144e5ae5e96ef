/**
 * Hearing a take while it renders (docs/ARCHITECTURE.md, "The data route of a render"): the
 * streaming take's lane fills as its chunks arrive and playback waits rather than overtake
 * it; the live loop re-renders the looped region on every change of the controls, cancels a
 * re-render a newer change has made stale, and swaps the new version in at a loop boundary.
 * Pure: state in, state (or a decision) out.
 */
import type { Preset } from '../../common/preset';
import type { Action } from './actions';

/** The transport's source while a streaming take is heard (it is no track yet). */
export const STREAM_VOICE = 'stream';
/** The transport's source while the live loop is heard. */
export const LIVE_VOICE = 'live';

/** Playback pauses when it comes this close (seconds) to the end of what has been rendered… */
export const WAIT_GUARD_S = 0.1;
/** …and resumes once this much (seconds) lies ready ahead of it, or the take is complete. */
export const RESUME_LEAD_S = 0.75;

/** A take being streamed. */
export interface StreamTake {
  jobId: string;
  /** The take's name, and the settings it renders in words (shown on its lane). */
  name: string;
  settings: string;
  /** Where it starts on the timeline, seconds. */
  offset: number;
  /** Its length when finished, seconds. */
  total: number;
  /** Where its rendering began, seconds from its start (the playhead; 0 from its start): it fills from here, then from its start. */
  from: number;
  /** What has arrived: stretches [from, to) in seconds from its start, in order, never touching. */
  spans: { from: number; to: number }[];
  /** How much of it has arrived in all, seconds. */
  rendered: number;
  /** Playback is held at the end of the rendered part, waiting for the next chunk. */
  waiting: boolean;
}

/** The live loop. */
export interface LiveState {
  on: boolean;
  /** The draft heard now and the settings it was rendered with, if any. */
  sounding: { jobId: string; settings: string } | null;
  /** The settings being rendered (or rendered and waiting for the loop boundary), if any. */
  pending: { jobId: string; settings: string; ready: boolean } | null;
}

export const LIVE_OFF: LiveState = { on: false, sounding: null, pending: null };

/** What playback of a streaming take should do now. */
export type StreamGate = 'wait' | 'resume' | 'keep';

/**
 * The stretch of what has arrived that holds `at` (seconds from the take's start), or null.
 * A stretch ending where the take ends holds its end too.
 */
export function arrivedAt(t: Pick<StreamTake, 'spans' | 'total'>, at: number): { from: number; to: number } | null {
  return t.spans.find((s) => at >= s.from && (at < s.to || (at <= s.to && s.to >= t.total - 1e-6))) ?? null;
}

/**
 * Whether playback at `position` (seconds on the timeline) must wait for a stream, may go on
 * after waiting, or keeps doing what it does: it waits before it runs past the stretch it is
 * in, or at once where nothing has arrived yet, and resumes once RESUME_LEAD_S lies ready
 * ahead of it (or the take is complete).
 */
export function streamGate(t: Pick<StreamTake, 'offset' | 'total' | 'rendered' | 'waiting' | 'spans'>, position: number, playing: boolean): StreamGate {
  const at = position - t.offset;
  const here = arrivedAt(t, at);
  const complete = t.rendered >= t.total - 1e-6;
  if (t.waiting) return complete || (here !== null && here.to >= Math.min(at + RESUME_LEAD_S, t.total)) ? 'resume' : 'keep';
  if (!playing || complete || at < 0 || at >= t.total) return 'keep';
  return here === null || at >= here.to - WAIT_GUARD_S ? 'wait' : 'keep';
}

/** `spans` with [from, to) added, merged with any it touches, in order. */
export function addSpan(spans: readonly { from: number; to: number }[], from: number, to: number): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  let merged = { from, to };
  for (const s of spans) {
    // Chunks meet sample for sample; a rounding gap below a microsecond still joins them.
    if (s.to < merged.from - 1e-6 || s.from > merged.to + 1e-6) out.push(s);
    else merged = { from: Math.min(s.from, merged.from), to: Math.max(s.to, merged.to) };
  }
  out.push(merged);
  return out.sort((a, b) => a.from - b.from);
}

/**
 * What a change of the controls means for the live loop: nothing while it is off, no region
 * loops or the settings are what is already sounding or pending; else cancel the pending
 * re-render (if any) and start one for the new settings.
 * @returns the job to cancel (if any) and whether to start a new one
 */
export function liveChange(live: LiveState, looping: boolean, settings: string): { cancel: string | null; start: boolean } {
  if (!live.on || !looping) return { cancel: null, start: false };
  if (live.pending?.settings === settings) return { cancel: null, start: false };
  if (!live.pending && live.sounding?.settings === settings) return { cancel: null, start: false };
  return { cancel: live.pending?.jobId ?? null, start: true };
}

/** The settings a preset renders with, in a few words: its name and its weights that are on. */
export function settingsWords(p: Preset): string {
  const weights = Object.entries(p.weights)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${Number(v.toPrecision(2))}`)
    .join(', ');
  return `${p.name}${weights ? ` (${weights})` : ''}`;
}

// Actions

export const streamStarted: Action<Omit<StreamTake, 'rendered' | 'waiting' | 'spans'>> = (s, t) => ({
  ...s,
  stream: { ...t, spans: [], rendered: 0, waiting: false },
  transport: { ...s.transport, source: STREAM_VOICE },
});

/** A chunk arrived: `seconds` of the take from `at` (seconds from its start). */
export const streamRendered: Action<{ jobId: string; at: number; seconds: number }> = (s, p) => {
  if (s.stream?.jobId !== p.jobId || !(p.seconds > 0)) return s;
  const spans = addSpan(s.stream.spans, p.at, Math.min(s.stream.total, p.at + p.seconds));
  return { ...s, stream: { ...s.stream, spans, rendered: spans.reduce((sum, x) => sum + x.to - x.from, 0) } };
};

export const streamWaiting: Action<boolean> = (s, waiting) => (s.stream && s.stream.waiting !== waiting ? { ...s, stream: { ...s.stream, waiting } } : s);

/** The stream ended (its take has joined the lanes, or it failed): its lane goes. */
export const streamEnded: Action<string> = (s, jobId) => (s.stream?.jobId === jobId ? { ...s, stream: null } : s);

export const setLive: Action<boolean> = (s, on) => {
  if (s.live.on === on) return s;
  if (!on) return { ...s, live: LIVE_OFF, transport: s.transport.source === LIVE_VOICE ? { ...s.transport, source: s.takeIds.at(-1) ?? s.contentId } : s.transport };
  return { ...s, live: { ...LIVE_OFF, on: true } };
};

export const livePending: Action<{ jobId: string; settings: string } | null> = (s, p) => (s.live.on ? { ...s, live: { ...s.live, pending: p ? { ...p, ready: false } : null } } : s);

export const liveReady: Action<string> = (s, jobId) => (s.live.pending?.jobId === jobId ? { ...s, live: { ...s.live, pending: { ...s.live.pending, ready: true } } } : s);

/** The pending draft is heard now (it swapped in at the loop boundary). */
export const liveSwapped: Action<string> = (s, jobId) => {
  const p = s.live.pending;
  if (!s.live.on || p?.jobId !== jobId) return s;
  return { ...s, live: { ...s.live, sounding: { jobId, settings: p.settings }, pending: null }, transport: { ...s.transport, source: LIVE_VOICE } };
};
