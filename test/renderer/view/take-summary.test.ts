import { describe, expect, it } from 'vitest';
import { builtinPreset, presetProblems } from '../../../common/preset';
import { formatWeight, takeHeadline, takeTooltip } from '../../../renderer/view/take-summary';
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
    expect(takeTooltip(p).split('\n')[1]).toBe('Weights: α content 0.316, β style 2, δ timbral envelope 0.126, the others off');
    expect(takeTooltip({ ...p, weights: { content: 0, style: 0, energy: 0, timbre: 0, texture: 0, envelope: 0, notes: 0 } }).split('\n')[1]).toBe('Weights: every weight off');
  });

  it('heads a take in words: method, how much content and style, steps', () => {
    const tt = builtinPreset('Timbre transfer')!;
    expect(takeHeadline({ ...tt, weights: { ...tt.weights, content: 0.02, style: 0 }, optimizer: { ...tt.optimizer, iterations: 30 } })).toBe('Timbre transfer · light content · 30 steps');
    expect(takeHeadline({ ...quick, name: 'Quick preview (modified)', weights: { ...quick.weights, content: 0.5, style: 3 }, optimizer: { ...quick.optimizer, iterations: 1 } })).toBe(
      'Quick preview · moderate content · strong style · 1 step',
    );
    expect(takeHeadline({ ...quick, weights: { ...quick.weights, content: 0, style: 0.05 } })).toMatch(/^Quick preview · no content · light style · \d+ steps$/);
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
