import { describe, expect, it } from 'vitest';
import { takeMetrics } from '../../fixtures/metrics';
import { BUILTIN_PRESETS, builtinPreset } from '../../../common/preset';
import { DEFAULT_CALIBRATION, estimateSeconds, formatEstimate, learnFromRender, renderWork, slowStreamNote } from '../../../renderer/state/render-estimate';
import { paceCpuSeconds } from '../../../renderer/state/pace-table';
import calibration from '../../../renderer/state/pace-calibration.json' with { type: 'json' };

/** What the PACE bench measured, per preset (the table the estimate is fitted to). */
const PACE_MEASUREMENTS: Record<string, { seconds: number; cpu: number; wall: number }[]> = calibration.measurements;

/** A modified copy of Quick preview (40 iterations): estimated from its work, not the bench table. */
const base = builtinPreset('Quick preview')!;
const quick = { ...base, name: 'Quick preview (modified)', optimizer: { ...base.optimizer, iterations: 40 } };
const metrics = (optimise: number, reconstruct: number, iterations = quick.optimizer.iterations) =>
  takeMetrics({ iterations, seconds: { analyse: 0.3, optimise, reconstruct, total: optimise + reconstruct + 0.5 } });

describe('render estimate', () => {
  it('grows with the clip, the iterations and the network', () => {
    const w = renderWork(quick, 10);
    expect(renderWork(quick, 20).optimise / w.optimise).toBeCloseTo(2, 1);
    expect(renderWork({ ...quick, optimizer: { ...quick.optimizer, iterations: 80 } }, 10).optimise / w.optimise).toBeCloseTo(2, 5);
    expect(renderWork(builtinPreset('Ulyanov texture')!, 10).optimise).toBeGreaterThan(10 * w.optimise);
    expect(renderWork({ ...quick, griffinLim: { ...quick.griffinLim, iterations: 0 } }, 10).reconstruct).toBe(0);
    for (const p of ['Verma & Smith', 'IITB mel tanh', 'McDermott texture (Grinstein)']) expect(renderWork(builtinPreset(p)!, 5).optimise).toBeGreaterThan(0);
  });

  it('learns this machine from a render: the same render is then estimated at what it took', () => {
    const cal = learnFromRender(DEFAULT_CALIBRATION, quick, 10, metrics(4, 0.8));
    expect(cal.renders).toBe(1);
    expect(estimateSeconds(quick, 10, cal)).toBeCloseTo(4 + 0.8 + 0.5, 6);
    // A twice-as-slow render moves the estimate half-way; an early stop counts only what ran.
    const slower = learnFromRender(cal, quick, 10, metrics(8, 1.6));
    expect(estimateSeconds(quick, 10, slower)).toBeCloseTo(0.5 + 1.5 * 4.8, 6);
    const early = learnFromRender(DEFAULT_CALIBRATION, quick, 10, metrics(2, 0.8, 20));
    expect(early.optimise).toBeCloseTo(cal.optimise, 12);
  });

  it('estimates every built-in within ±30 % of the CPU seconds the PACE bench measured, at every length measured', () => {
    for (const p of BUILTIN_PRESETS) {
      for (const m of PACE_MEASUREMENTS[p.name] ?? []) {
        const e = estimateSeconds(p, m.seconds, DEFAULT_CALIBRATION);
        expect(Math.abs(e / m.cpu - 1), `${p.name} at ${m.seconds} s: estimated ${e.toFixed(1)} s, measured ${m.cpu} s`).toBeLessThanOrEqual(0.3);
      }
    }
    // Every built-in was measured at 10 s, a minute and 3 minutes.
    for (const p of BUILTIN_PRESETS)
      expect(
        PACE_MEASUREMENTS[p.name].map((m) => m.seconds),
        p.name,
      ).toEqual([10, 60, 180]);
  });

  it('is straight between measured lengths and beyond the longest along the last two', () => {
    for (const p of BUILTIN_PRESETS) {
      const [a, b, c] = PACE_MEASUREMENTS[p.name];
      expect(paceCpuSeconds(p.name, 35), p.name).toBeCloseTo((a.cpu + b.cpu) / 2, 6);
      expect(paceCpuSeconds(p.name, 120), p.name).toBeCloseTo((b.cpu + c.cpu) / 2, 6);
      expect(paceCpuSeconds(p.name, 300), p.name).toBeCloseTo(c.cpu + ((c.cpu - b.cpu) * 120) / 120, 6);
    }
  });

  it('has a measured line for every built-in, and Quick preview costs at most a third of the default', () => {
    for (const p of BUILTIN_PRESETS) {
      const at = (s: number) => paceCpuSeconds(p.name, s)!;
      expect(paceCpuSeconds(p.name, 10), p.name).toBeDefined();
      // Positive, and longer content never costs less.
      expect(at(0.5), p.name).toBeGreaterThan(0);
      expect(at(1), p.name).toBeLessThan(at(10));
      expect(at(10), p.name).toBeLessThan(at(60));
      expect(at(60), p.name).toBeLessThan(at(180));
    }
    expect(paceCpuSeconds('No such preset', 10)).toBeUndefined();
    // Both from the same bench run (CPU seconds, 10 s of the demo).
    expect(PACE_MEASUREMENTS['Quick preview'][0].cpu).toBeLessThanOrEqual(PACE_MEASUREMENTS['Timbre transfer'][0].cpu / 3);
  });

  it('learns how fast this machine is from renders of built-ins, and leaves edited presets to the work model', () => {
    const uly = builtinPreset('Ulyanov texture')!;
    const bench = estimateSeconds(uly, 60, DEFAULT_CALIBRATION);
    const m = takeMetrics({ iterations: 70, seconds: { analyse: 1, optimise: 2 * bench - 2, reconstruct: 1, total: 2 * bench } });
    const cal = learnFromRender(DEFAULT_CALIBRATION, uly, 60, m);
    expect(cal.speed).toBeCloseTo(2, 6);
    expect(estimateSeconds(uly, 60, cal)).toBeCloseTo(2 * bench, 6);
    expect(estimateSeconds(builtinPreset('Verma timbre')!, 10, cal)).toBeCloseTo(2 * estimateSeconds(builtinPreset('Verma timbre')!, 10, DEFAULT_CALIBRATION), 6);
    // The work model's rates are untouched by it, and an edited built-in uses them.
    expect(cal.optimise).toBe(DEFAULT_CALIBRATION.optimise);
    const edited = { ...uly, optimizer: { ...uly.optimizer, iterations: 10 } };
    expect(estimateSeconds(edited, 60, cal)).toBe(estimateSeconds(edited, 60, DEFAULT_CALIBRATION));
    // A calibration saved before `speed` existed counts as speed 1.
    const { speed: _s, speedRenders: _r, ...old } = DEFAULT_CALIBRATION;
    expect(estimateSeconds(uly, 60, old)).toBe(bench);
  });

  it('says it in words', () => {
    expect(formatEstimate(0.2)).toBe('about 1 s');
    expect(formatEstimate(42)).toBe('about 40 s');
    expect(formatEstimate(150)).toBe('about 3 min');
    expect(formatEstimate(3900)).toBe('about 1 h 5 min');
  });
});

describe('slow stream note', () => {
  it('speaks only when the estimate is longer than the take, with the estimate and the length', () => {
    expect(slowStreamNote('Ulyanov texture', 780, 180)).toEqual({
      short: 'Slower than it plays: about 13 min for this 3-minute take',
      full: 'Ulyanov texture renders slower than it plays: about 13 min for this 3-minute take; the take fills in as it renders',
    });
    expect(slowStreamNote('Quick preview', 35, 10)?.full).toBe('Quick preview renders slower than it plays: about 35 s for this 10-second take; the take fills in as it renders');
    expect(slowStreamNote('Timbre transfer', 4, 10)).toBeNull();
    expect(slowStreamNote('Timbre transfer', 10, 10)).toBeNull();
    expect(slowStreamNote('Any', 5, 0)).toBeNull();
    expect(slowStreamNote('Any', Number.NaN, 10)).toBeNull();
  });

  it('flags the built-ins the bench measured slower than real time, at the bench speed', () => {
    // A built-in's estimate at speed 1 is its bench CPU seconds: the note follows the measured table.
    const c = { ...DEFAULT_CALIBRATION, speed: 1 };
    for (const p of BUILTIN_PRESETS) {
      const cpu = paceCpuSeconds(p.name, 60);
      if (cpu === undefined) continue;
      expect(slowStreamNote(p.name, estimateSeconds(p, 60, c), 60) !== null, p.name).toBe(cpu > 60);
    }
  });
});
