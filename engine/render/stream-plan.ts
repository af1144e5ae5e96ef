/**
 * The order of a streaming render (docs/ARCHITECTURE.md, "The data route of a render"): the
 * stretch from the playhead (or a region's start) cut into hop-aligned segments in playback
 * order, the first one short so the first sound comes soon, and which samples of the take
 * become final as each segment finishes. Pure functions on sample counts.
 */
import type { Segment } from './chunked';

/** How a stream is cut, all in samples at the analysis rate. */
export interface StreamCut {
  /** What the first segment contributes (short: its render is the wait before the first sound). */
  first: number;
  /** The most a later segment contributes (the last may take up to half as much again rather than leave a sliver). */
  core: number;
  /** Extra samples rendered on each side of what a segment contributes. */
  margin: number;
  /** Crossfade length between neighbours. */
  fade: number;
  /** The analysis hop: every boundary lies on its grid. */
  hop: number;
}

/**
 * Segments covering [0, total) in playback order: the first contributes about `cut.first`
 * samples, each later one twice the one before up to `cut.core` (the last up to half a
 * segment more). Each renders `margin` more on either side (within
 * [0, total)) and crossfades with the previous one over `fade` centred on their seam.
 * @returns at least one segment; seams strictly increasing, on the hop grid
 */
export function planStream(total: number, cut: StreamCut): Segment[] {
  if (!(total > 0)) return [];
  const grid = (x: number) => Math.round(x / cut.hop) * cut.hop;
  const half = grid(cut.fade / 2);
  const pad = Math.ceil(cut.margin / cut.hop) * cut.hop;
  const seams: number[] = [];
  // Each segment contributes twice what the one before did, up to `core`: the next sound is
  // due soon while little is ready, and the overlaps and per-segment costs are paid less often later.
  for (let at = 0, length = cut.first; ; length = Math.min(cut.core, 2 * length)) {
    const next = grid(at + length);
    // The last segment takes what is left when that would be under half a segment more.
    if (next <= at || total - next < Math.max(2 * half + cut.hop, Math.min(cut.core, 2 * length) / 2)) break;
    if (next <= 2 * half) break;
    seams.push(next);
    at = next;
  }
  const bounds = [0, ...seams, total];
  return seams.length === 0
    ? [{ start: 0, end: total, from: 0, fade: 0 }]
    : bounds.slice(0, -1).map((_, k) => {
        const from = k === 0 ? 0 : bounds[k] - half;
        const to = k === bounds.length - 2 ? total : bounds[k + 1] + half;
        return { start: Math.max(0, from - pad), end: Math.min(total, to + pad), from, fade: k === 0 ? 0 : 2 * half };
      });
}

/**
 * The samples of the take that are final once segments 0…k have been joined in order:
 * everything up to where segment k+1's crossfade begins (all of it after the last).
 * @returns [from, to) of what segment k adds, in samples of the take
 */
export function finalRange(segments: readonly Segment[], k: number): { from: number; to: number } {
  const from = k === 0 ? 0 : segments[k].from;
  const to = k + 1 < segments.length ? segments[k + 1].from : Math.max(...segments.map((s) => s.end));
  return { from, to };
}

/** A stream's order: its segments in render order, what each makes final, and its seam, if any. */
export interface StreamOrder {
  segments: Segment[];
  /** The samples of the take [from, to) that are final once segment k has been joined. */
  finals: { from: number; to: number }[];
  /**
   * For a stream started at a playhead: the stretch [start, end) (ending at the playhead)
   * where the part rendered last, from the take's start, fades into the part rendered first.
   * It is written when segment `last` is joined, from what segment 0 rendered there.
   */
  seam?: { start: number; end: number; last: number };
}

/**
 * The order of a stream of `total` samples that starts at sample `at` (a playhead): the
 * stretch [at, total) in playback order, as `planStream` cuts it, then [0, at) likewise,
 * joined at `at` by a crossfade that lies wholly before it, so nothing after the playhead
 * changes once it has been sent. The first segment also renders the crossfade's stretch (and
 * a margin before it). A playhead too near either end to leave room for the crossfade, or on
 * 0, starts at 0 (`planStream` as it is).
 * @param at the playhead, samples (put on the hop grid)
 */
export function orderStream(total: number, cut: StreamCut, at = 0): StreamOrder {
  const grid = (x: number) => Math.round(x / cut.hop) * cut.hop;
  const seamLength = 2 * grid(cut.fade / 2);
  const pad = Math.ceil(cut.margin / cut.hop) * cut.hop;
  const p = grid(at);
  if (p < seamLength + cut.hop || total - p < seamLength + cut.hop) {
    const segments = planStream(total, cut);
    return { segments, finals: segments.map((_, k) => finalRange(segments, k)) };
  }
  const rest = planStream(total - p, cut);
  const after = rest.map((s) => ({ start: s.start + p, end: s.end + p, from: s.from + p, fade: s.fade }));
  const finalsAfter = rest.map((_, k) => finalRange(rest, k)).map(({ from, to }) => ({ from: from + p, to: to + p }));
  const before = planStream(p, cut);
  const finalsBefore = before.map((_, k) => finalRange(before, k));
  after[0] = { start: Math.max(0, p - seamLength - pad), end: after[0].end, from: p - seamLength, fade: 0 };
  return {
    segments: [...after, ...before],
    finals: [...finalsAfter, ...finalsBefore],
    seam: { start: p - seamLength, end: p, last: after.length + before.length - 1 },
  };
}
