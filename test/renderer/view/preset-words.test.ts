import { describe, expect, it } from 'vitest';
import { BUILTIN_PRESETS, builtinPreset, migratePreset, presetProblems } from '../../../common/preset';
import { importRejectedSentence, presetDiff, problemWords } from '../../../renderer/view/preset-words';
import { resultWords } from '../../../renderer/view/take-summary';
import { FIELD_HINTS } from '../../../renderer/view/objective-words';
import { perTerm } from '../../../common/loss-terms';

const reasonOf = (doc: unknown) => {
  try {
    migratePreset(doc);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('preset words', () => {
  it('a bad preset file is one sentence in words, not schema text', () => {
    const bad = { ...BUILTIN_PRESETS[0], analysis: { ...BUILTIN_PRESETS[0].analysis, nFft: 1000, hop: 99999 } };
    const s = importRejectedSentence('mine.json', [{ name: 'Mine', reason: reasonOf(bad) }]);
    expect(s).toMatch(/^"Mine" in mine\.json is not a preset Gramophone can use: its (fft size|hop) must [^;:]+ \(and \d more problems?\)\.$/);
    expect(s.split('. ').length).toBe(1);
    expect(problemWords(reasonOf({ ...BUILTIN_PRESETS[0], optimizer: { ...BUILTIN_PRESETS[0].optimizer, iterations: 2.5 } }))).toBe('its iterations must be a whole number');
    expect(problemWords(reasonOf({ ...BUILTIN_PRESETS[0], bogus: 1 }))).toMatch(/is not a setting Gramophone knows \("bogus"\)/);
    expect(problemWords(reasonOf({ version: 99 }))).toBe('unsupported preset version 99');
    expect(importRejectedSentence('x.json', [])).toBe('');
    expect(
      importRejectedSentence('x.json', [
        { name: 'a', reason: 'a preset must be a JSON object' },
        { name: 'b', reason: 'x' },
      ]),
    ).toBe('2 presets in x.json could not be used; the first, "a": a preset must be a JSON object.');
    expect(presetProblems(BUILTIN_PRESETS[0])).toBeNull();
  });

  it('the diff between two takes names each changed setting', () => {
    const a = builtinPreset('Quick preview')!;
    const b = {
      ...a,
      name: 'Other',
      weights: { ...a.weights, style: 2.5 },
      optimizer: { ...a.optimizer, iterations: 12 },
      network: { ...a.network, layers: [{ kind: 'conv1d' as const, filters: 512, kernel: 11 }, a.network.layers[1]] },
    };
    expect(presetDiff(b, a)).toEqual(['β style weight: 1 → 2.5', 'Layer 1 filters: 256 → 512', 'Iterations: 5 → 12']);
    expect(presetDiff(a, a)).toEqual([]);
  });

  it('results in words: the melody kept by pitch when judged (then the content term stays in the tooltip), then the weighted terms in slider order', () => {
    const p = builtinPreset('Quick preview')!;
    const termErrors = { ...perTerm(() => 0.5), content: 0.29, style: 0.08, energy: 1.4 };
    expect(resultWords(p, { termErrors } as never)).toBe('content match 71 %, style match 92 %, loudness curve 0 %, timbre match 50 %');
    expect(resultWords(p, { termErrors, melodyKept: 0.876 } as never)).toBe('melody kept 88 %, style match 92 %, loudness curve 0 %, timbre match 50 %');
    const tt = builtinPreset('Timbre transfer')!;
    expect(resultWords(tt, { termErrors: { ...termErrors, notes: 0.06 }, melodyKept: 0.9 } as never)).toBe('melody kept 90 %, note match 94 %');
    // A light content weight's low match no longer reads as a failure beside a kept melody.
    expect(resultWords(tt, { termErrors: { ...termErrors, content: 0.79 }, melodyKept: 0.92 } as never)).not.toMatch(/content match 21 %/);
  });

  it('every Advanced field outside the objective has a tooltip', () => {
    for (const path of [
      'analysis.nFft',
      'analysis.window',
      'analysis.hop',
      'analysis.sampleRate',
      'optimizer.kind',
      'optimizer.iterations',
      'optimizer.learningRate',
      'init',
      'backend',
      'griffinLim.iterations',
      'griffinLim.momentum',
      'output.normalize',
      'output.peakDb',
    ]) {
      expect(FIELD_HINTS[path], path).toMatch(/\w{3,}/);
    }
  });
});
