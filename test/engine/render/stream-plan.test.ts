/**
 * The streaming render's plan (issue 19): segments in playback order from the stream's start
 * (the playhead or a region's start), the first one short, boundaries on the hop grid, and
 * the final stretches each finished segment adds covering the take once, in order.
 */
import { describe, expect, it } from 'vitest';
import { finalRange, planStream, type StreamCut } from '../../../engine/render/stream-plan';

const RATE = 22050;
const HOP = 256;
const cut: StreamCut = { first: 1.5 * RATE, core: 10 * RATE, margin: 0.25 * RATE, fade: 0.5 * RATE, hop: HOP };

describe('planStream', () => {
  it('starts with a short segment and continues in playback order on the hop grid', () => {
    const total = 60 * RATE + 123;
    const segs = planStream(total, cut);
    expect(segs[0]).toMatchObject({ start: 0, from: 0, fade: 0 });
    expect(segs.at(-1)!.end).toBe(total);
    const first = finalRange(segs, 0);
    expect(first.to / RATE).toBeGreaterThan(1);
    expect(first.to / RATE).toBeLessThan(1.5);
    for (const [k, s] of segs.entries()) {
      expect(s.start % HOP, 'start on the grid').toBe(0);
      if (k === 0) continue;
      const prev = segs[k - 1];
      expect(s.from, 'in playback order').toBeGreaterThan(prev.from);
      expect(s.from % HOP).toBe(0);
      // The crossfade lies inside both neighbours, with a margin beyond it in each.
      expect(s.fade).toBeGreaterThan(0.45 * RATE);
      expect(s.from - s.start).toBeGreaterThanOrEqual(0.25 * RATE);
      expect(prev.end - (s.from + s.fade)).toBeGreaterThanOrEqual(0.25 * RATE);
    }
    // Each later segment contributes about twice the one before, up to `core`, and the last is no sliver.
    const shares = segs.map((s, k) => ((segs[k + 1]?.from ?? total) - s.from) / RATE);
    expect(shares.slice(0, 4).map((x) => Math.round(x))).toEqual([1, 3, 6, 10]);
    for (const [k, x] of shares.entries()) if (k > 0 && k < shares.length - 1) expect(x).toBeLessThanOrEqual(Math.min(10, 2 * shares[k - 1]) + 0.6);
    expect(shares.at(-1)!).toBeGreaterThan(5);
    expect(shares.at(-1)!).toBeLessThan(15.6);
  });

  it('the final stretches cover the take exactly once, in order', () => {
    for (const total of [3 * RATE, 7 * RATE + 5, 60 * RATE]) {
      const segs = planStream(total, cut);
      let at = 0;
      for (const k of segs.keys()) {
        const r = finalRange(segs, k);
        expect(r.from).toBe(at);
        expect(r.to).toBeGreaterThan(r.from);
        at = r.to;
      }
      expect(at).toBe(total);
    }
  });

  it('a stretch too short to cut is one segment; nothing is no segment', () => {
    expect(planStream(2 * RATE, cut)).toEqual([{ start: 0, end: 2 * RATE, from: 0, fade: 0 }]);
    expect(planStream(0, cut)).toEqual([]);
  });
});
