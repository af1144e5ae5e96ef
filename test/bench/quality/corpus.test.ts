import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLIP_SAMPLES, clipKey, clipRenderer, ensureRenderers, fitLength, loadClip, missingPackages } from '../../../bench/quality/corpus';
import { CORPORA, INSTRUMENTS, notesInSeconds, type Clip } from '../../../bench/quality/melodies';
import { detectPitches, multiPitchScores, referencePitches } from '../../../bench/quality/multipitch';
import { DEV_PIECES } from '../../../bench/quality/pieces';
import { pitchSpectrogram } from '../../../bench/quality/pitch-spectrogram';
import { SOUND_FONTS } from '../../../bench/quality/renderers';
import { SETS } from '../../../bench/quality/sets';
import { onsetFMeasure } from '../../../bench/quality/onsets';
import { rawPitchAccuracy } from '../../../bench/quality/yin';
import { detectOnsets } from '../../../engine/analysis/onsets';
import { yin } from '../../../engine/analysis/pitch';

const missing =
  spawnSync('fluidsynth', ['--version']).status !== 0
    ? 'fluidsynth is not installed (scripts/setup.sh installs it)'
    : !existsSync(SOUND_FONTS.FluidR3.path)
      ? `${SOUND_FONTS.FluidR3.path} is missing (apt package ${SOUND_FONTS.FluidR3.apt})`
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
    const version = ensureRenderers(() => {}).fluidsynth;
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

const stkMissing = spawnSync('sh', ['-c', 'command -v stk-demo']).status !== 0 ? 'stk-demo is not installed (apt package stk; scripts/setup.sh installs it)' : '';
const timMissing = !existsSync(SOUND_FONTS.TimGM6mb.path) ? `${SOUND_FONTS.TimGM6mb.path} is missing (apt package ${SOUND_FONTS.TimGM6mb.apt})` : '';

describe('renderers other than FluidR3', () => {
  const chords = DEV_PIECES.find((m) => m.name === 'chords')!;
  const clarinet = SETS.poly.dev.pairs.find((p) => p.name === 'piano-stk-clarinet')!.style.instrument;

  it('names the renderer in the cache key and hashes it, leaving FluidR3 keys as they were', () => {
    const fluid: Clip = { melody: chords, instrument: INSTRUMENTS.violin };
    const muse: Clip = { ...fluid, renderer: { kind: 'fluidsynth', font: 'MuseScore' } };
    const stk: Clip = { melody: chords, instrument: clarinet };
    expect(clipKey(fluid, 'FluidSynth 2.3.1')).toMatch(/^chords-violin-[0-9a-f]{12}$/);
    expect(clipKey({ ...fluid, renderer: { kind: 'fluidsynth', font: 'FluidR3' } }, 'FluidSynth 2.3.1')).toBe(clipKey(fluid, 'FluidSynth 2.3.1'));
    expect(clipKey(muse, 'FluidSynth 2.3.1')).toMatch(/^chords-violin-musescore-[0-9a-f]{12}$/);
    expect(clipKey(stk, 'FluidSynth 2.3.1', 'stk 4.6.2')).toMatch(/^chords-stk-clarinet-stk-clarinet-[0-9a-f]{12}$/);
    expect(clipKey(stk, 'FluidSynth 2.3.1', 'stk 4.6.3')).not.toBe(clipKey(stk, 'FluidSynth 2.3.1', 'stk 4.6.2'));
    expect(clipRenderer(stk)).toEqual({ kind: 'stk', model: 'Clarinet' });
  });

  it.skipIf(!!(missing || stkMissing))(`plays four-note chords on an STK physical model without clipping${stkMissing ? ` (skipped: ${stkMissing})` : ''}`, async () => {
    const tools = ensureRenderers(() => {}, [{ kind: 'stk', model: 'Clarinet' }]);
    expect(missingPackages([{ kind: 'stk', model: 'Clarinet' }])).toEqual([]);
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-corpus-'));
    const x = await loadClip({ melody: chords, instrument: clarinet }, dir, tools.fluidsynth, tools.stk);
    expect(x.length).toBe(CLIP_SAMPLES);
    expect(20 * Math.log10(x.reduce((m, v) => Math.max(m, Math.abs(v)), 0))).toBeCloseTo(-1, 3);
    // All four voices sound: the detector finds most of the chord notes.
    const s = pitchSpectrogram(x);
    const ref = referencePitches(notesInSeconds(chords), s.frames);
    expect(multiPitchScores(detectPitches(s), ref.sounding, ref.tolerated).recall).toBeGreaterThan(0.5);
  });

  it.skipIf(!!(missing || timMissing))(`renders with another sound font: the same notes, other samples${timMissing ? ` (skipped: ${timMissing})` : ''}`, async () => {
    const version = ensureRenderers(() => {}).fluidsynth;
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-corpus-'));
    const clip = CORPORA.dev.pairs[0].truth;
    const other = await loadClip({ ...clip, renderer: { kind: 'fluidsynth', font: 'TimGM6mb' } }, dir, version);
    const fluid = await loadClip(clip, dir, version);
    expect(readdirSync(dir)).toHaveLength(2);
    expect(rawPitchAccuracy(yin(other, { sampleRate: 22050 }), notesInSeconds(clip.melody)).accuracy).toBeGreaterThan(0.9);
    let diff = 0;
    for (let i = 0; i < other.length; i++) diff += (other[i] - fluid[i]) ** 2;
    expect(diff).toBeGreaterThan(1);
  });
});
