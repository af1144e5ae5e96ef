/** Lanes fill the window: dragged lanes keep their height, the rest share what is left. */
import { describe, expect, it } from 'vitest';
import { LANE_HEIGHT, fitLaneHeights } from '../../../renderer/state/app-state';

describe('fitLaneHeights', () => {
  const lanes = ['content', 'style', 'take:a'];

  it('shares a tall window equally, so the stack fills it', () => {
    const h = fitLaneHeights(lanes, {}, 900);
    expect(h).toEqual({ content: 300, style: 300, 'take:a': 300 });
  });

  it('keeps a dragged lane and gives the others the rest', () => {
    const h = fitLaneHeights(lanes, { style: 150 }, 900);
    expect(h.style).toBe(150);
    expect(h.content).toBe(375);
    expect(h['take:a']).toBe(375);
  });

  it("never goes below a kind's default (the stack scrolls) nor above the maximum", () => {
    const small = fitLaneHeights(lanes, {}, 200);
    expect(small).toEqual({ content: LANE_HEIGHT.default, style: LANE_HEIGHT.default, 'take:a': LANE_HEIGHT.take });
    expect(fitLaneHeights(['content'], {}, 5000).content).toBe(LANE_HEIGHT.max);
  });
});
