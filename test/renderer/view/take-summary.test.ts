import { describe, expect, it } from 'vitest';
import { builtinPreset, presetProblems } from '../../../common/preset';
import { formatWeight, settingsLine, takeTooltip, weightParts } from '../../../renderer/view/take-summary';
import { modifiedName } from '../../../renderer/state/preset-edit';

const quick = builtinPreset('Quick preview')!;

describe('take summary', () => {
  it('marks a modified name once and keeps it a valid preset name', () => {
    expect(modifiedName('Quick preview')).toBe('Quick preview (modified)');
    expect(modifiedName('Quick preview (modified)')).toBe('Quick preview (modified)');
    const long = modifiedName('x'.repeat(80));
    expect(long).toHaveLength(80);
    expect(long.endsWith(' (modified)')).toBe(true);
    expect(presetProblems({ ...quick, name: long })).toBeNull();
  });

  it('writes weights at 3 significant digits, 0 as off', () => {
    expect(formatWeight(0)).toBe('off');
    expect(formatWeight(0.31622776)).toBe('0.316');
    expect(formatWeight(1995.26)).toBe('2000');
    const p = { ...quick, weights: { ...quick.weights, content: 0.31622776, style: 2, energy: 0, timbre: 0.125892 } };
    expect(weightParts(p).map(([s, , v]) => `${s}${v}`)).toEqual(['α0.316', 'β2', 'δ0.126']);
    expect(settingsLine(p)).toBe(`${quick.optimizer.iterations} it · L-BFGS · conv1d 256×11`);
    expect(weightParts({ ...p, weights: { ...p.weights, texture: 0.5 } }).map(([s]) => s)).toEqual(['α', 'β', 'δ', 'κ']);
    expect(weightParts({ ...p, weights: { content: 0, style: 0, energy: 0, timbre: 0, texture: 0, envelope: 0, notes: 0 } })).toEqual([]);
  });

  it('lists every parameter in the tooltip, with the result when known', () => {
    const t = takeTooltip({ ...quick, weights: { ...quick.weights, style: 2 } });
    expect(t.split('\n')[0]).toBe('Quick preview');
    expect(t).toContain('β style 2');
    expect(t).toContain(`seed ${quick.network.seed}`);
    expect(t).toContain(`FFT ${quick.analysis.nFft}, window ${quick.analysis.window}, hop ${quick.analysis.hop}`);
    expect(t).toContain('Network: conv1d 256×11 → ReLU');
    expect(t).toContain(`Griffin-Lim ${quick.griffinLim.iterations} iterations`);
    expect(t).not.toContain('Result');
  });
});
