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
    // Middle C first, then every other octave's C: a short lane still shows C2, C4 and C6.
    expect(short.map((t) => t.label)).toEqual(expect.arrayContaining(['C4 · 262 Hz', 'C2 · 65 Hz', 'C6 · 1.05 kHz']));
    expect(tall.map((t) => t.label)).toContain('C7 · 2.09 kHz');
    for (const t of tall) expect(t.label).toMatch(/^C\d+ · [\d.]+ k?Hz$/);
    // A linear axis counts in round Hz or kHz.
    const lin = frequencyTicks(24000, 'linear', 300).map((t) => t.label);
    expect(lin).toContain('10 kHz');
    for (const l of lin) expect(l).toMatch(/^[\d.]+ k?Hz$/);
  });

  it('follows the frequency zoom: a 2 kHz top shows nothing above it and more marks below', () => {
    const zoomed = frequencyTicks(2000, 'linear', 300);
    expect(Math.max(...zoomed.map((t) => t.hz))).toBeLessThan(2000);
    expect(zoomed.length).toBeGreaterThan(2 * frequencyTicks(24000, 'linear', 300).filter((t) => t.hz < 2000).length);
    expect(zoomed.map((t) => t.label)).toContain('1 kHz');
  });

  it('writes frequencies with their unit', () => {
    expect(hzLabel(250)).toBe('250 Hz');
    expect(hzLabel(1000)).toBe('1 kHz');
    expect(hzLabel(1500)).toBe('1.5 kHz');
  });

  it('names the nearest note and how far off', () => {
    expect(noteName(440)).toBe('A4');
    expect(noteName(261.63)).toBe('C4');
    expect(noteName(446)).toBe('A4 +23 ct');
    expect(noteName(10)).toBe('');
  });
});
