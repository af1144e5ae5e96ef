import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLIP_SAMPLES, SOUNDFONT, clipKey, ensureFluidsynth, fitLength, loadClip } from '../../../bench/quality/corpus';
import { CORPORA, notesInSeconds, type Clip } from '../../../bench/quality/melodies';
import { onsetFMeasure } from '../../../bench/quality/onsets';
import { rawPitchAccuracy } from '../../../bench/quality/yin';
import { detectOnsets } from '../../../engine/analysis/onsets';
import { yin } from '../../../engine/analysis/pitch';

const missing =
  spawnSync('fluidsynth', ['--version']).status !== 0
    ? 'fluidsynth is not installed (scripts/setup.sh installs it)'
    : !existsSync(SOUNDFONT)
      ? `${SOUNDFONT} is missing (apt package fluid-soundfont-gm)`
      : '';

describe('corpus recipe', () => {
  it('names a clip by melody, instrument and a hash of everything that makes its samples', () => {
    const pair = CORPORA.dev.pairs[0];
    const key = clipKey(pair.truth, 'FluidSynth 2.3.1');
    expect(key).toMatch(new RegExp(`^${pair.truth.melody.name}-${pair.truth.instrument.name}-[0-9a-f]{12}$`));
    expect(clipKey(pair.truth, 'FluidSynth 2.3.1')).toBe(key);
    expect(clipKey(pair.truth, 'FluidSynth 2.4.0')).not.toBe(key);
    const louder: Clip = { ...pair.truth, melody: { ...pair.truth.melody, notes: pair.truth.melody.notes.map((n) => ({ ...n, velocity: 100 })) } };
    expect(clipKey(louder, 'FluidSynth 2.3.1')).not.toBe(key);
  });

  it('fits a clip to length by cutting or padding with zeros', () => {
    expect(Array.from(fitLength(Float32Array.of(1, 2, 3), 2))).toEqual([1, 2]);
    expect(Array.from(fitLength(Float32Array.of(1, 2), 4))).toEqual([1, 2, 0, 0]);
  });
});

describe.skipIf(!!missing)(`corpus rendering with fluidsynth${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('renders a clip once, mono, 10 s, at −1 dBFS, and reads it from the cache after', async () => {
    const version = ensureFluidsynth(() => {});
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-corpus-'));
    const clip = CORPORA.dev.pairs[0].truth; // long notes on the violin, with vibrato
    const x = await loadClip(clip, dir, version);
    expect(x.length).toBe(CLIP_SAMPLES);
    expect(20 * Math.log10(x.reduce((m, v) => Math.max(m, Math.abs(v)), 0))).toBeCloseTo(-1, 3);
    expect(readdirSync(dir)).toEqual([`${clipKey(clip, version)}.wav`]);
    expect(Array.from(await loadClip(clip, dir, version))).toEqual(Array.from(x));
    // The rendition follows its score: the detectors find its notes and onsets.
    const notes = notesInSeconds(clip.melody);
    expect(rawPitchAccuracy(yin(x, { sampleRate: 22050 }), notes).accuracy).toBeGreaterThan(0.9);
    expect(
      onsetFMeasure(
        detectOnsets(x),
        notes.map((n) => n.onset),
      ).f,
    ).toBe(1);
  });
});
