import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseQualityArgs } from '../../../bench/quality/args';
import { CORPORA } from '../../../bench/quality/melodies';
import { allSystems, presetSystem, presetsFromFiles, selectPairs, selectSystems } from '../../../bench/quality/systems';
import { BUILTIN_PRESETS } from '../../../common/preset';
import { shrunkQuickPreview } from '../../fixtures/presets';
import { harmonicTone } from './signals';

describe('quality bench arguments', () => {
  it('defaults and flags', () => {
    expect(parseQualityArgs([])).toEqual({ set: 'single', corpus: 'dev', presetFiles: [], out: 'bench/results', png: false, help: false });
    expect(
      parseQualityArgs(['--set', 'poly', '--corpus', 'holdout', '--systems', 'match-eq, quick-preview', '--pairs', '0,piano-violin', '--preset-file', 'a.json,b.json', '--out', '/tmp/q', '--png']),
    ).toEqual({
      set: 'poly',
      corpus: 'holdout',
      systems: ['match-eq', 'quick-preview'],
      pairs: ['0', 'piano-violin'],
      presetFiles: ['a.json', 'b.json'],
      out: '/tmp/q',
      png: true,
      help: false,
    });
  });
  it('refuses what it does not know', () => {
    expect(() => parseQualityArgs(['--corpus', 'test'])).toThrow(/dev or holdout/);
    expect(() => parseQualityArgs(['--set', 'chords'])).toThrow(/single or poly/);
    expect(() => parseQualityArgs(['--systems'])).toThrow(/needs a value/);
    expect(() => parseQualityArgs(['--pairs', ','])).toThrow(/at least one/);
    expect(() => parseQualityArgs(['--fast'])).toThrow(/Unknown argument "--fast"/);
  });
});

describe('systems and pairs', () => {
  it('has the truth, the baselines and every built-in preset, in table order', () => {
    const names = allSystems().map((s) => s.name);
    expect(names).toEqual(['truth', 'truth on style source', 'content', 'match-eq', 'style', ...BUILTIN_PRESETS.map((p) => p.name)]);
  });

  it('selects by name or slug, always with the truth and the match EQ', () => {
    const all = allSystems();
    expect(selectSystems(all, ['Quick Preview']).map((s) => s.name)).toEqual(['truth', 'match-eq', 'Quick preview']);
    expect(selectSystems(all, ['ulyanov-texture', 'content']).map((s) => s.name)).toEqual(['truth', 'content', 'match-eq', 'Ulyanov texture']);
    expect(() => selectSystems(all, ['wavenet'])).toThrow(/No system "wavenet". Choose from: truth, truth on style source, content/);
  });

  it('selects pairs by index or name, in corpus order', () => {
    const pairs = CORPORA.dev.pairs;
    expect(selectPairs(pairs, ['3', 'piano-violin']).map((p) => p.name)).toEqual([pairs[0].name, pairs[3].name]);
    expect(() => selectPairs(pairs, ['99'])).toThrow(/No pair "99"/);
    expect(() => selectPairs(pairs, ['kazoo-tuba'])).toThrow(/piano-violin/);
  });

  it('reads presets from files through the schema, renaming a clash and naming a bad file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-presets-'));
    const good = path.join(dir, 'good.json');
    const clash = { ...BUILTIN_PRESETS[0], weights: { ...BUILTIN_PRESETS[0].weights, content: 0.5 } };
    writeFileSync(good, JSON.stringify([{ ...BUILTIN_PRESETS[0], name: 'Candidate' }, clash]));
    const systems = await presetsFromFiles(
      [good],
      allSystems().map((s) => s.name),
    );
    expect(systems.map((s) => s.name)).toEqual(['Candidate', `${BUILTIN_PRESETS[0].name} (good.json #2)`]);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...BUILTIN_PRESETS[0], weights: { content: -1 } }));
    await expect(presetsFromFiles([bad], [])).rejects.toThrow(/bad\.json" is not a valid preset: weights/);
    await expect(presetsFromFiles([path.join(dir, 'none.json')], [])).rejects.toThrow(/no such file/);
  });

  it('renders a preset through the engine, resampled to the corpus rate and fitted to the content', async () => {
    const tiny = shrunkQuickPreview(8, 3, 2, 2, { name: 'Tiny', analysis: { sampleRate: 16000, nFft: 512, hop: 128, window: 512 } });
    const content = harmonicTone(220, 1, [1, 0.5]);
    const style = harmonicTone(330, 1, [1, 0, 0.5]);
    const take = await presetSystem(tiny).run({ pair: CORPORA.dev.pairs[0], content, style, truth: style, truthOnStyleSource: style });
    expect(take.samples.length).toBe(content.length);
    expect(take.render).toMatchObject({ iterations: 2 });
    expect(take.wallS).toBeGreaterThan(0);
    expect(take.cpuS).toBeGreaterThan(0);
    const peak = Math.max(...take.samples.map(Math.abs));
    expect(peak).toBeGreaterThan(0.5);
    expect(peak).toBeLessThan(1);
  });
});
