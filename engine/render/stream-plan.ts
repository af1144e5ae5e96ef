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
  /** What every later segment contributes (about; balanced so the last is not a sliver). */
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
 * samples, the rest about `cut.core` each. Each renders `margin` more on either side (within
 * [0, total)) and crossfades with the previous one over `fade` centred on their seam.
 * @returns at least one segment; seams strictly increasing, on the hop grid
 */
export function planStream(total: number, cut: StreamCut): Segment[] {
  if (!(total > 0)) return [];
  const grid = (x: number) => Math.round(x / cut.hop) * cut.hop;
  const half = grid(cut.fade / 2);
  const pad = Math.ceil(cut.margin / cut.hop) * cut.hop;
  const seams: number[] = [];
  const firstSeam = grid(cut.first);
  // A first seam that leaves less than a whole fade on either side is no seam at all.
  if (firstSeam > 2 * half && total - firstSeam > Math.max(2 * half, cut.first / 2)) {
    seams.push(firstSeam);
    const rest = total - firstSeam;
    const count = Math.max(1, Math.round(rest / cut.core));
    for (let k = 1; k < count; k++) seams.push(grid(firstSeam + (k * rest) / count));
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
