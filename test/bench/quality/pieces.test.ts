import { describe, expect, it } from 'vitest';
import { CORPUS_AUDIO } from '../../../bench/quality/corpus';
import { notesInSeconds, type Melody } from '../../../bench/quality/melodies';
import { DEV_PIECES, HOLDOUT_PIECES, maxPolyphony, piece } from '../../../bench/quality/pieces';
import { STK_VOICES, rendererTag, skiniScore } from '../../../bench/quality/renderers';
import { SETS, renderersOf } from '../../../bench/quality/sets';

describe('polyphonic pieces', () => {
  it('reads chords, holds and rests, voice by voice', () => {
    const p = piece('t', 'test', 120, [
      [0.5, 'C4+E4/1 r/1 G4/1:3'],
      [1, 'C3/2'],
    ]);
    // Half a beat of lead-in = 240 ticks; a chord is two notes at one tick; a hold overrides the articulation.
    expect(p.notes.map((n) => [n.pitch, n.tick, n.ticks])).toEqual([
      [48, 240, 960],
      [60, 240, 240],
      [64, 240, 240],
      [67, 1200, 1440],
    ]);
    expect(maxPolyphony(p)).toBe(3);
    expect(p.tempoUsPerQuarter).toBe(500000);
  });

  it('refuses a bad item and a key struck again while it is held', () => {
    expect(() => piece('t', '', 100, [[1, 'C4']])).toThrow(/bad item "C4"/);
    expect(() => piece('t', '', 100, [[1, 'C4/0']])).toThrow(/bad item/);
    expect(() => piece('t', '', 100, [[1, 'H4/1']])).toThrow(/not a note name/);
    expect(() =>
      piece('t', '', 100, [
        [1, 'C4/2'],
        [1, 'r/1 C4/1'],
      ]),
    ).toThrow(/pitch 60 sounds twice/);
  });

  const check = (m: Melody) => {
    const notes = notesInSeconds(m);
    expect(maxPolyphony(m), m.name).toBeGreaterThanOrEqual(2);
    expect(maxPolyphony(m), `${m.name} fits the STK voices`).toBeLessThanOrEqual(STK_VOICES);
    expect(Math.min(...notes.map((n) => n.onset)), m.name).toBeGreaterThan(0.2);
    expect(Math.max(...notes.map((n) => n.offset)), `${m.name} leaves ≥ 1 s of tail`).toBeLessThanOrEqual(CORPUS_AUDIO.seconds - 1);
  };
  it('every piece is polyphonic, fits the clip with a silent tail and the STK voices', () => {
    for (const m of [...DEV_PIECES, ...HOLDOUT_PIECES]) check(m);
    expect(DEV_PIECES.map((m) => m.name)).toEqual(['chords', 'two-voices', 'bass-tune', 'arpeggio-pedal', 'piano-piece']);
  });
});

describe('sets of pairs', () => {
  for (const set of ['single', 'poly'] as const) {
    for (const part of ['dev', 'holdout'] as const) {
      const s = SETS[set][part];
      it(`${set} ${part}: truths from FluidR3, another sound font and STK; truth = content's notes on the style's instrument`, () => {
        expect(new Set(s.pairs.map((p) => p.source))).toEqual(new Set(['FluidR3', 'other sound font', 'STK']));
        for (const p of s.pairs) {
          expect(p.truth.melody).toBe(p.content.melody);
          expect(p.truth.instrument).toBe(p.style.instrument);
          expect(p.style.melody).not.toBe(p.content.melody);
          if (p.source === 'other sound font') {
            expect(p.truth.renderer?.kind).toBe('fluidsynth');
            expect(p.style.renderer).toBeUndefined();
            expect(p.name).toContain(`@${rendererTag(p.truth.renderer!)}`);
          }
          if (p.source === 'STK') expect(p.style.instrument.renderer?.kind).toBe('stk');
        }
      });
    }
  }

  it('poly: chordal content with solo and with chordal styles, and solo content with a chordal style', () => {
    for (const part of ['dev', 'holdout'] as const) {
      const kinds = new Set(SETS.poly[part].pairs.map((p) => `${maxPolyphony(p.content.melody) > 1 ? 'chordal' : 'solo'}→${maxPolyphony(p.style.melody) > 1 ? 'chordal' : 'solo'}`));
      expect(kinds, part).toEqual(new Set(['chordal→solo', 'chordal→chordal', 'solo→chordal']));
    }
  });

  it('the holdouts share no piece, GM instrument, sound font or STK model with dev', () => {
    for (const set of ['single', 'poly'] as const) {
      const { dev, holdout } = SETS[set];
      const programs = (p: typeof dev) =>
        new Set(
          p.pairs
            .flatMap((x) => [x.content, x.style])
            .filter((c) => !c.instrument.renderer)
            .map((c) => c.instrument.program),
        );
      for (const program of programs(holdout)) expect(programs(dev).has(program), `${set} GM ${program}`).toBe(false);
      const tags = (p: typeof dev) => new Set(renderersOf(p).map(rendererTag));
      for (const t of tags(holdout)) expect(tags(dev).has(t), `${set} ${t}`).toBe(false);
      const pieces = (p: typeof dev) => new Set(p.pairs.map((x) => JSON.stringify(x.content.melody.notes)));
      for (const m of pieces(holdout)) expect(pieces(dev).has(m)).toBe(false);
    }
  });
});

describe('SKINI scores for the STK', () => {
  it('writes note-ons and note-offs in time order with delta seconds, offs first at one time', () => {
    const notes = [
      { pitch: 60, tick: 0, ticks: 480, velocity: 90 },
      { pitch: 64, tick: 0, ticks: 960, velocity: 90 },
      { pitch: 60, tick: 480, ticks: 480, velocity: 90 },
    ];
    expect(skiniScore(notes, 0.5 / 480, 40)).toBe(
      ['NoteOn 0.000000 1 60 40', 'NoteOn 0.000000 1 64 40', 'NoteOff 0.500000 1 60 64', 'NoteOn 0.000000 1 60 40', 'NoteOff 0.500000 1 64 64', 'NoteOff 0.000000 1 60 64', ''].join('\n'),
    );
    expect(() => skiniScore(notes, 0.001, 0)).toThrow(/1–127/);
  });
});
