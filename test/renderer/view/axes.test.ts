import { describe, expect, it } from 'vitest';
import { frequencyTicks, hzLabel, noteName, tickLabel, tickStep, ticks } from '../../../renderer/view/axes';

describe('ruler', () => {
  it('labels are all different at every zoom, finest to coarsest', () => {
    for (const pps of [2, 13, 70, 400, 3000, 20000, 150000]) {
      const step = tickStep(pps);
      const ts = ticks(57.3, 57.3 + 1200 / pps, step);
      const labels = ts.map((t) => tickLabel(t, step));
      expect(new Set(labels).size, `${pps} px/s: ${labels.join(' ')}`).toBe(labels.length);
      expect(ts.length).toBeGreaterThan(3);
    }
  });

  it('reads as minutes and seconds, with the decimals the step needs', () => {
    expect(tickLabel(65, 5)).toBe('1:05');
    expect(tickLabel(59.5, 0.5)).toBe('0:59.5');
    expect(tickLabel(1.25, 0.05)).toBe('0:01.25');
    expect(tickLabel(0.001, 0.001)).toBe('0:00.001');
  });
});

describe('frequency axis', () => {
  it('as many labels as fit, never closer than the gap, more on a taller lane', () => {
    const short = frequencyTicks(11025, 'log', 80);
    const tall = frequencyTicks(11025, 'log', 400);
    expect(short.length).toBeGreaterThanOrEqual(3);
    expect(tall.length).toBeGreaterThan(2 * short.length);
    for (const set of [short, tall, frequencyTicks(24000, 'linear', 300)]) {
      for (let i = 1; i < set.length; i++) expect(set[i].y - set[i - 1].y).toBeGreaterThanOrEqual(16);
    }
    // Decades first: 100 Hz and 1 kHz are always there when they fit.
    expect(short.map((t) => t.hz)).toEqual(expect.arrayContaining([100, 1000]));
    expect(tall.map((t) => hzLabel(t.hz))).toContain('1.5k');
  });

  it('names the nearest note and how far off', () => {
    expect(noteName(440)).toBe('A4');
    expect(noteName(261.63)).toBe('C4');
    expect(noteName(446)).toBe('A4 +23 ct');
    expect(noteName(10)).toBe('');
  });
});
