/**
 * The memory model (engine/render/memory.ts) against the peak RSS of real renders in a child
 * process (test/fixtures/render/render-peak-rss.ts): within ±30 % for whole renders of
 * built-in presets (fewer iterations: memory does not depend on them once L-BFGS's history
 * is full) and for a chunked render, whose peak is the plan's estimate. Plus the budget.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PresetSchema, builtinPreset, type Preset } from '../../../common/preset';
import { renderMemory, ENGINE_BASE_BYTES } from '../../../engine/render/memory';
import { planRender } from '../../../engine/render/chunked';
import { memoryBudget, MIN_MEMORY_BUDGET } from '../../../engine/render/budget';
import { ROOT } from '../../helpers/demo';

const SCRIPT = path.join(ROOT, 'test/fixtures/render/render-peak-rss.ts');
/** The demo style's length in samples at 22.05 kHz (the fixture's style). */
const STYLE_SAMPLES = 132_339;
const MB = 2 ** 20;

/** A built-in with 12 iterations (L-BFGS keeps 10 pairs) and 4 Griffin-Lim rounds. */
const shortened = (name: string): Preset => {
  const p = builtinPreset(name)!;
  return PresetSchema.parse({ ...structuredClone(p), optimizer: { ...p.optimizer, iterations: 12 }, griffinLim: { ...p.griffinLim, iterations: 4 } });
};

function measure(preset: Preset, seconds: number, mode: string): { before: number; peak: number; segments: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify(preset), String(seconds), mode], { cwd: ROOT, encoding: 'utf8', maxBuffer: MB });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('memory model', () => {
  for (const [name, seconds] of [
    ['Quick preview', 20],
    ['IITB mel tanh', 10],
    ['McDermott texture (Grinstein)', 10],
  ] as const) {
    it(`${name}, ${seconds} s whole: estimate within ±30 % of the measured peak`, () => {
      const preset = shortened(name);
      const rate = preset.analysis.sampleRate;
      const n = seconds * rate;
      const m = measure(preset, seconds, 'whole');
      const estimate = renderMemory(preset, { contentSamples: n, styleSamples: Math.round((STYLE_SAMPLES * rate) / 22050), fileBytes: 4 * n + 264_722 }, m.before).total;
      const ratio = estimate / m.peak;
      console.log(`${name} ${seconds} s: measured ${(m.peak / MB).toFixed(0)} MB, estimated ${(estimate / MB).toFixed(0)} MB (×${ratio.toFixed(2)})`);
      expect(ratio).toBeGreaterThan(0.7);
      expect(ratio).toBeLessThan(1.3);
    }, 60_000);
  }

  it('a chunked render peaks at its plan (±30 %), far below the same file whole', () => {
    const preset = shortened('Quick preview');
    const seconds = 30;
    const m = measure(preset, seconds, 'chunked:10');
    expect(m.segments).toBe(3);
    const plan = planRender(preset, seconds * 22050, STYLE_SAMPLES, 8 * 2 ** 30, 10);
    const estimate = plan.bytes - ENGINE_BASE_BYTES + m.before;
    const whole = renderMemory(preset, { contentSamples: seconds * 22050, styleSamples: STYLE_SAMPLES }, m.before).total;
    console.log(`chunked 30 s in 10 s segments: measured ${(m.peak / MB).toFixed(0)} MB, planned ${(estimate / MB).toFixed(0)} MB; whole would be ${(whole / MB).toFixed(0)} MB`);
    expect(estimate / m.peak).toBeGreaterThan(0.7);
    expect(estimate / m.peak).toBeLessThan(1.3);
    expect(m.peak).toBeLessThan(whole);
  }, 120_000);
});

describe('memory budget', () => {
  it('is the setting when given, else a share of the available memory, never below the minimum', () => {
    expect(memoryBudget({ GRAMOPHONE_MEMORY_BUDGET: '4G' })).toBe(4 * 2 ** 30);
    expect(memoryBudget({ GRAMOPHONE_MEMORY_BUDGET: '1500M' })).toBe(1500 * MB);
    expect(memoryBudget({}, 10 * 2 ** 30)).toBe(Math.floor(10 * 2 ** 30 * 0.6));
    expect(memoryBudget({}, 100 * MB)).toBe(MIN_MEMORY_BUDGET);
    expect(() => memoryBudget({ GRAMOPHONE_MEMORY_BUDGET: 'lots' })).toThrow(/GRAMOPHONE_MEMORY_BUDGET must be a size such as 4G/);
    expect(() => memoryBudget({ GRAMOPHONE_MEMORY_BUDGET: '10M' })).toThrow(/at least 256\.0 MB/);
  });
});
