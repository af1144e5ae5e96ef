/**
 * When a transcription counts as several voices: chords and a held voice under a moving one
 * do; a single line whose notes ring on into the next ones does not. Which tracked notes the
 * transcription confirms at their pitch.
 */
import { describe, expect, it } from 'vitest';
import type { NoteEvent } from '../../../../common/notes';
import type { Note } from '../../../../engine/analysis/note-tracking';
import { confirmedByHearing, isPolyphonic, pitchedByHearing, timedByHearing } from '../../../../engine/objective/notes/heard-notes';

const note = (onsetS: number, offsetS: number, midi: number): NoteEvent => ({ onsetS, offsetS, midi, amplitude: 0.5, bend: [] });
const SR = 22050;
const HOP = 256;
const frame = (s: number) => Math.round((s * SR) / HOP);
/** A tracked note of `midi` (fractional: slightly off pitch) over [from, to) seconds. */
const tracked = (from: number, to: number, midi: number): Note => ({ start: frame(from), end: frame(to), f0: 440 * 2 ** ((midi - 69) / 12), peak: 1, body: frame(to), offset: frame(to), slopeDb: 0 });

describe('isPolyphonic', () => {
  it('hears block chords as voices', () => {
    const chords = [0, 1, 2, 3].flatMap((i) => [48, 64, 67, 72].map((m) => note(i, i + 0.9, m + i)));
    expect(isPolyphonic(chords)).toBe(true);
  });

  it('hears a held bass under a moving tune as voices', () => {
    const bass = [0, 2, 4].map((t, i) => note(t, t + 1.9, 40 + i));
    const tune = Array.from({ length: 24 }, (_v, i) => note(i * 0.25, i * 0.25 + 0.24, 67 + (i % 5)));
    expect(isPolyphonic([...bass, ...tune])).toBe(true);
  });

  it('hears a run whose notes ring into the next two as one line', () => {
    // Each note starts 0.15 s after the last and rings 0.4 s: two or three notes at once most
    // of the time, yet none lies within another.
    const run = Array.from({ length: 40 }, (_v, i) => note(i * 0.15, i * 0.15 + 0.4, 60 + (i % 8)));
    expect(isPolyphonic(run)).toBe(false);
  });

  it('hears a legato line with short overlaps at its joins as one line', () => {
    const line = Array.from({ length: 12 }, (_v, i) => note(i * 0.5, i * 0.5 + 0.56, 60 + (i % 5)));
    expect(isPolyphonic(line)).toBe(false);
    expect(isPolyphonic([])).toBe(false);
  });
});

describe('confirmedByHearing', () => {
  const line = [tracked(0, 0.5, 62), tracked(0.5, 1, 65), tracked(1, 1.06, 53), tracked(1.06, 1.6, 65.4), tracked(1.6, 2, 69)];
  const heard = [note(0.02, 0.5, 62), note(0.52, 1.55, 65), note(1.58, 2, 69)];

  it('drops a sliver tracked an octave below the note the transcription hears there', () => {
    const kept = confirmedByHearing(line, heard, SR, HOP);
    expect(kept.map((n) => Math.round(69 + 12 * Math.log2(n.f0 / 440)))).toEqual([62, 65, 65, 69]);
  });

  it('gives a content sliver the pitch of the note starting there and joins it to that note', () => {
    // A sung leap D4 -> G5 whose first frames YIN reads a twelfth low (C4); the tracker's G5 starts late.
    const sung = [tracked(0, 1, 62), tracked(1, 1.1, 60), tracked(1.1, 2, 79)];
    const got = pitchedByHearing(sung, [note(0, 1.15, 62), note(1.02, 2, 79)], SR, HOP);
    expect(got.map((n) => [n.start, n.end, Math.round(69 + 12 * Math.log2(n.f0 / 440))])).toEqual([
      [frame(0), frame(1), 62],
      [frame(1), frame(2), 79],
    ]);
    // Notes the transcription confirms are left as they are.
    expect(pitchedByHearing(line.slice(0, 2), heard, SR, HOP)).toEqual(line.slice(0, 2));
  });

  it('keeps every note when the transcription hears too few of them (an instrument it does not hear), and unpitched notes always', () => {
    expect(confirmedByHearing(line, [note(0, 2, 40)], SR, HOP)).toHaveLength(line.length);
    const hit = { ...tracked(2, 2.2, 60), f0: NaN };
    expect(confirmedByHearing([...line, hit], heard, SR, HOP)).toContain(hit);
  });
});

describe('timedByHearing', () => {
  // A bowed line's level: 1 throughout, a dip to 0.5 at each bow change (0.5 s, 1.0 s).
  const level = Float64Array.from({ length: frame(2) }, (_v, t) => (Math.abs(t - frame(0.5)) < 2 || Math.abs(t - frame(1.0)) < 2 ? 0.5 : 1));

  it('moves a legato join back to the onset the transcription hears at the later note’s pitch', () => {
    // Tracked 90 ms after the note-on (the middle of the glide).
    const line = [tracked(0, 0.59, 62), tracked(0.59, 1.2, 65)];
    const got = timedByHearing(line, [note(0.01, 0.5, 62), note(0.5, 1.2, 65)], level, SR, HOP);
    expect(got.map((n) => [n.start, n.end])).toEqual([
      [frame(0), frame(0.5)],
      [frame(0.5), frame(1.2)],
    ]);
    // The first note ends there, its body and offset no later; the second is read off `level` from there.
    expect(got[0].body).toBe(frame(0.5));
    expect(got[0].offset).toBe(frame(0.5));
    expect(got[1].peak).toBe(1);
    expect(got[1].body).toBe(frame(1.2));
    expect(got[1].f0).toBe(line[1].f0);
    // The input is left as it was.
    expect(line[0].end).toBe(frame(0.59));
  });

  it('leaves a join where the heard onset is later, at another pitch or more than 120 ms earlier, a repeated pitch and a note after a rest', () => {
    const line = [tracked(0, 0.59, 62), tracked(0.59, 1.2, 65)];
    const far = [note(0, 0.45, 62), note(0.45, 1.2, 65)];
    const otherPitch = [note(0, 0.5, 62), note(0.5, 1.2, 67)];
    // A plucked attack the tracker placed by its energy; the transcriber hears it 30 ms on.
    const later = [note(0, 0.62, 62), note(0.62, 1.2, 65)];
    // A semitone off: in a chromatic run, the note before's own onset.
    const semitone = [note(0, 0.5, 62), note(0.5, 1.2, 64)];
    for (const heard of [far, otherPitch, later, semitone]) expect(timedByHearing(line, heard, level, SR, HOP).map((n) => n.start)).toEqual(line.map((n) => n.start));
    const repeated = [tracked(0, 0.59, 65), tracked(0.59, 1.2, 65)];
    expect(timedByHearing(repeated, [note(0, 0.5, 65), note(0.5, 1.2, 65)], level, SR, HOP).map((n) => n.start)).toEqual(repeated.map((n) => n.start));
    const afterRest = [tracked(0, 0.4, 62), tracked(0.59, 1.2, 65)];
    expect(timedByHearing(afterRest, [note(0, 0.4, 62), note(0.5, 1.2, 65)], level, SR, HOP).map((n) => n.start)).toEqual(afterRest.map((n) => n.start));
  });
});
