import { describe, expect, it } from 'vitest';
import { builtinPreset } from '../../../common/preset';
import { takeMetrics } from '../../fixtures/metrics';
import { DEFAULT_CALIBRATION, estimateSeconds, formatEstimate, learnFromRender, renderWork } from '../../../renderer/state/render-estimate';

const quick = builtinPreset('Quick preview')!;
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

  it('says it in words', () => {
    expect(formatEstimate(0.2)).toBe('about 1 s');
    expect(formatEstimate(42)).toBe('about 40 s');
    expect(formatEstimate(150)).toBe('about 3 min');
    expect(formatEstimate(3900)).toBe('about 1 h 5 min');
  });
});
