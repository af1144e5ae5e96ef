import { describe, expect, it } from 'vitest';
import { CORPORA, CORPUS_NAMES, clipModulation, midiToHz, noteNumber, notesInSeconds } from '../../../bench/quality/melodies';
import { CORPUS_AUDIO } from '../../../bench/quality/corpus';

describe('corpora', () => {
  it('note names and frequencies', () => {
    expect(noteNumber('C4')).toBe(60);
    expect(noteNumber('A4')).toBe(69);
    expect(noteNumber('F#5')).toBe(78);
    expect(noteNumber('Bb3')).toBe(58);
    expect(midiToHz(69)).toBe(440);
    expect(midiToHz(81)).toBeCloseTo(880, 9);
  });

  for (const name of CORPUS_NAMES) {
    const corpus = CORPORA[name];
    it(`${name}: at least five monophonic melodies that end with a silent tail, in every instrument's range`, () => {
      expect(corpus.melodies.length).toBeGreaterThanOrEqual(5);
      for (const m of corpus.melodies) {
        const notes = notesInSeconds(m);
        expect(notes.length, m.name).toBeGreaterThan(3);
        for (let i = 0; i < notes.length; i++) {
          expect(notes[i].offset, m.name).toBeGreaterThan(notes[i].onset);
          if (i > 0) expect(notes[i].onset, `${m.name} is monophonic`).toBeGreaterThanOrEqual(notes[i - 1].offset - 1e-9);
          expect(notes[i].pitch).toBeGreaterThanOrEqual(60);
          expect(notes[i].pitch).toBeLessThanOrEqual(81);
        }
        expect(notes[0].onset).toBeGreaterThan(0.2);
        expect(notes[notes.length - 1].offset, `${m.name} leaves ≥ 1 s of tail`).toBeLessThanOrEqual(CORPUS_AUDIO.seconds - 1);
      }
    });

    it(`${name}: at least eight pairs, both directions, plucked/struck ↔ bowed/blown ↔ voice`, () => {
      expect(corpus.pairs.length).toBeGreaterThanOrEqual(8);
      const names = corpus.pairs.map((p) => p.name);
      expect(new Set(names).size).toBe(names.length);
      for (const p of corpus.pairs) {
        expect(p.content.melody).not.toBe(p.style.melody);
        expect(p.truth.melody).toBe(p.content.melody);
        expect(p.truth.instrument).toBe(p.style.instrument);
        expect(p.content.instrument).not.toBe(p.style.instrument);
        expect(p.name).toBe(`${p.content.instrument.name}-${p.style.instrument.name}`);
        expect(names, `the reverse of ${p.name}`).toContain(`${p.style.instrument.name}-${p.content.instrument.name}`);
      }
      const families = new Set(corpus.pairs.flatMap((p) => [p.content.instrument.family, p.style.instrument.family]));
      expect([...families].some((f) => f === 'plucked' || f === 'struck')).toBe(true);
      expect([...families].some((f) => f === 'bowed' || f === 'blown')).toBe(true);
      expect(families.has('voice')).toBe(true);
    });
  }

  it('the holdout shares no melody and no instrument with dev', () => {
    const instruments = (c: (typeof CORPORA)['dev']) => new Set(c.pairs.flatMap((p) => [p.content.instrument.program, p.style.instrument.program]));
    const dev = instruments(CORPORA.dev);
    for (const p of instruments(CORPORA.holdout)) expect(dev.has(p)).toBe(false);
    const tunes = (c: (typeof CORPORA)['dev']) => c.melodies.map((m) => JSON.stringify(m.notes.map((n) => [n.pitch, n.ticks])));
    for (const t of tunes(CORPORA.holdout)) expect(tunes(CORPORA.dev)).not.toContain(t);
  });

  it('vibrato only where players use it', () => {
    const long = CORPORA.dev.melodies.find((m) => m.name === 'long')!;
    const pair = CORPORA.dev.pairs.find((p) => p.name === 'piano-violin')!;
    expect(pair.content.melody).toBe(long);
    expect(clipModulation(pair.content)).toBeUndefined(); // piano
    expect(clipModulation(pair.truth)).toBe(long.modulation); // violin
  });
});
