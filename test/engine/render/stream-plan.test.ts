/**
 * The streaming render's plan (issue 19): segments in playback order from the stream's start
 * (the playhead or a region's start), the first one short, boundaries on the hop grid, and
 * the final stretches each finished segment adds covering the take once, in order; from a
 * playhead, the rest after it first, then the part before it, joined by a seam before it.
 */
import { describe, expect, it } from 'vitest';
import { finalRange, orderStream, planStream, type StreamCut } from '../../../engine/render/stream-plan';

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

describe('orderStream from a playhead', () => {
  it('renders from the playhead to the end first, then from the start, each final stretch sent once', () => {
    const total = 60 * RATE;
    const at = 30 * RATE + 77;
    const { segments, finals, seam } = orderStream(total, cut, at);
    const p = Math.round(at / HOP) * HOP;
    expect(seam).toEqual({ start: p - 2 * Math.round((0.25 * RATE) / HOP) * HOP, end: p, last: segments.length - 1 });
    // The first segment starts its take at the playhead and renders the seam and a margin before it.
    expect(finals[0].from).toBe(p);
    expect(segments[0]).toMatchObject({ from: seam!.start, fade: 0 });
    expect(segments[0].start).toBeLessThanOrEqual(seam!.start - 0.25 * RATE);
    expect(finals[0].to - finals[0].from).toBeLessThan(1.5 * RATE);
    // Each sample of the take is made final exactly once: the part after the playhead, then the part before.
    const covered = new Uint8Array(total);
    for (const f of finals) for (let i = f.from; i < f.to; i++) covered[i]++;
    expect(covered.every((c) => c === 1)).toBe(true);
    const restarts = finals.findIndex((f) => f.from === 0);
    expect(finals.slice(0, restarts).every((f) => f.from >= p)).toBe(true);
    expect(finals.slice(restarts).every((f) => f.to <= p)).toBe(true);
    expect(finals.at(-1)!.to).toBe(p);
    // No segment of the part before the playhead reaches past it: what was sent after it stays.
    for (const s of segments.slice(restarts)) expect(s.end).toBeLessThanOrEqual(p);
  });

  it('starts at 0 when the playhead leaves no room for the seam at either end', () => {
    for (const at of [0, 0.2 * RATE, 60 * RATE - 0.2 * RATE]) expect(orderStream(60 * RATE, cut, at)).toEqual(orderStream(60 * RATE, cut, 0));
    expect(orderStream(60 * RATE, cut, 0).seam).toBeUndefined();
  });
});
