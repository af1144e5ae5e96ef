import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GramophoneError } from '../../../common/errors';
import { midiToHz } from '../../../common/notes';
import { transcribe } from '../../../engine/analysis/transcribe';
import { basicPitchModelDir } from '../../../engine/analysis/transcriber-model';
import { plucked, reedy, render, SR } from '../objective/notes/signals';

const hz = (midi: number) => midiToHz(midi);
/** A piano-like tone: every harmonic as 1/h, fast attack, decaying, released over 10 ms. */
const piano = (notes: { start: number; end: number; midi: number }[], seconds: number) =>
  render(
    notes.map((n) => ({ start: n.start, end: n.end, hz: hz(n.midi) })),
    seconds,
    (h) => 1 / h,
    (t, dur) => Math.min(1, t / 0.005) * Math.exp(-1.5 * t) * Math.min(1, (dur - t) / 0.01),
  );

// Bounds: onsets and offsets within 40 ms (3.5 frames of 11.6 ms), the pitch exact.
const ONSET_TOL = 0.04;
const OFFSET_TOL = 0.06;

describe('transcribe (Basic Pitch on the project tfjs)', () => {
  it('hears a C major triad then a lone A3 at their pitches and times', async () => {
    const chord = [60, 64, 67].map((midi) => ({ start: 0.5, end: 1.5, midi }));
    const x = piano([...chord, { start: 1.8, end: 2.6, midi: 57 }], 3);
    const progress: number[] = [];
    const { notes } = await transcribe(x, SR, { onProgress: (f) => progress.push(f) });
    expect(progress.at(-1)).toBe(1);
    for (const want of [...chord, { start: 1.8, end: 2.6, midi: 57 }]) {
      const got = notes.find((n) => n.midi === want.midi && Math.abs(n.onsetS - want.start) < ONSET_TOL);
      expect(got, `MIDI ${want.midi} at ${want.start} s`).toBeDefined();
      expect(Math.abs(got!.offsetS - want.end)).toBeLessThan(OFFSET_TOL);
      expect(got!.amplitude).toBeGreaterThan(0.4);
      // A steady tone: no bend beyond a tenth of a semitone in the note's body.
      const body = got!.bend.slice(3, -3);
      expect(Math.max(...body.map(Math.abs))).toBeLessThan(0.15);
    }
    // Nothing strong at a pitch that was not played (a weak harmonic ghost may pass).
    const played = new Set([60, 64, 67, 57]);
    for (const n of notes.filter((n) => !played.has(n.midi))) expect(n.amplitude).toBeLessThan(0.5);
    // Rests stay empty.
    expect(notes.filter((n) => n.onsetS < 0.4 || n.onsetS > 2.7)).toEqual([]);
  });

  it('follows a two-voice line at another sample rate, and a held reed note with vibrato as one note with a bend', async () => {
    const lower = [
      { start: 0.2, end: 0.9, hz: hz(48) },
      { start: 1.0, end: 1.7, hz: hz(50) },
    ];
    const a = plucked(lower, 2);
    const b = reedy([{ start: 0.2, end: 1.7, hz: hz(72) }], 2);
    const mixed = Float32Array.from(a, (v, i) => v + b[i]);
    // 22050 → 16000 Hz exercises the resampler in front of the network.
    const { resample } = await import('../../../engine/dsp/resample');
    const { notes } = await transcribe(resample(mixed, SR, 16000), 16000);
    for (const [midi, start] of [
      [48, 0.2],
      [50, 1.0],
      [72, 0.2],
    ]) {
      expect(
        notes.some((n) => n.midi === midi && Math.abs(n.onsetS - start) < ONSET_TOL),
        `MIDI ${midi} at ${start} s`,
      ).toBe(true);
    }
    // The held C5 sounds throughout (the lower voice's attack may restart it: the network's
    // onset head answers there too).
    const held = notes.filter((n) => n.midi === 72);
    expect(Math.min(...held.map((n) => n.onsetS))).toBeLessThan(0.2 + ONSET_TOL);
    expect(Math.abs(Math.max(...held.map((n) => n.offsetS)) - 1.7)).toBeLessThan(OFFSET_TOL);
    // No harmonic of the lower voice or of the reed is taken for a note.
    expect(notes.filter((n) => ![48, 50, 72].includes(n.midi))).toEqual([]);
    // Alone, the reed's note is one note whose bend follows its vibrato: ±0.6 % is ±0.1
    // semitone, so the bend swings both ways around the pitch.
    const solo = (await transcribe(b, SR)).notes;
    expect(solo.map((n) => n.midi)).toEqual([72]);
    const body = solo[0].bend.slice(10, -10);
    expect(Math.max(...body)).toBeGreaterThan(0.03);
    expect(Math.min(...body)).toBeLessThan(-0.03);
    expect(Math.max(...body.map(Math.abs))).toBeLessThan(0.3);
  });

  it('returns no notes for silence and stops when aborted', async () => {
    expect((await transcribe(new Float32Array(SR), SR)).notes).toEqual([]);
    const controller = new AbortController();
    const run = transcribe(piano([{ start: 0, end: 4, midi: 60 }], 5), SR, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  describe('a missing or damaged model is an error in words', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gramophone-model-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const shipped = basicPitchModelDir();
    const tone = piano([{ start: 0.1, end: 0.6, midi: 60 }], 1);

    it('missing weights', async () => {
      copyFileSync(path.join(shipped, 'model.json'), path.join(dir, 'model.json'));
      const err = await transcribe(tone, SR, { modelDir: dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GramophoneError);
      expect(err).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/group1-shard1of1\.bin .* is missing/) });
    });

    it('truncated weights', async () => {
      const bytes = readFileSync(path.join(shipped, 'group1-shard1of1.bin'));
      writeFileSync(path.join(dir, 'group1-shard1of1.bin'), bytes.subarray(0, bytes.length >> 1));
      const err = await transcribe(tone, SR, { modelDir: dir }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/damaged: group1-shard1of1\.bin .* is not the published file/) });
    });

    it('a model.json that is not the published one', async () => {
      copyFileSync(path.join(shipped, 'group1-shard1of1.bin'), path.join(dir, 'group1-shard1of1.bin'));
      writeFileSync(path.join(dir, 'model.json'), '{"format": "graph-model", "modelTopology": ');
      const err = await transcribe(tone, SR, { modelDir: dir }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('model.json') });
    });
  });
});
