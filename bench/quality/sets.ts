/**
 * The benchmark's sets of pairs. `single`: the single-line corpora (FluidR3 truths), the same
 * pairs with their truth from another sound font, and pairs whose style and truth are STK
 * physical models. `poly`: polyphonic content (chords, voices, a bass under a tune, held
 * arpeggios, piano pieces) with solo-line and chordal styles, in both directions (chordal
 * content with a solo style, solo content with a chordal style), truths from the same three
 * sources. Each set has a `dev` part (for tuning) and a `holdout` part with other pieces,
 * instruments, sound font and physical models.
 */
import { CORPORA, DEV_MELODIES, HOLDOUT_MELODIES, INSTRUMENTS, type Corpus, type CorpusName, type Instrument, type Melody, type Pair, type SetName } from './melodies';
import { DEV_PIECES, HOLDOUT_PIECES } from './pieces';
import { rendererTag, sourceOf, type Renderer, type SoundFontName, type StkModel } from './renderers';

/** A set's part: its pairs, each with the source of its truth. */
export interface PairSet extends Corpus {
  set: SetName;
}

/** An STK physical model as an instrument (its GM program is the nearest one, for reference only). */
const stk = (model: StkModel, program: number, family: Instrument['family']): Instrument => ({ name: `stk-${model.toLowerCase()}`, program, family, renderer: { kind: 'stk', model } });
const STK = {
  clarinet: stk('Clarinet', 71, 'blown'),
  bowed: stk('Bowed', 40, 'bowed'),
  flute: stk('Flute', 73, 'blown'),
  brass: stk('Brass', 56, 'blown'),
  saxofony: stk('Saxofony', 65, 'blown'),
  mandolin: stk('Mandolin', 24, 'plucked'),
};

/** [content instrument, style instrument, content melody, style melody]. */
type Line = [Instrument, Instrument, string, string];

/**
 * Pairs from lines. `truthFont` renders the truth with another sound font than the style's
 * (the pair is named "<a>-<b>@<font>"); an STK style instrument makes style and truth STK.
 * @throws Error for an unknown melody, a pair whose content and style melodies are the same, or a repeated name
 */
function pairs(melodies: readonly Melody[], lines: readonly Line[], truthFont?: SoundFontName): Pair[] {
  const byName = (n: string) => {
    const m = melodies.find((x) => x.name === n);
    if (!m) throw new Error(`no melody or piece "${n}"`);
    return m;
  };
  return lines.map(([a, b, m, m2]) => {
    if (m === m2) throw new Error(`pair ${a.name}-${b.name}: content and style need different melodies`);
    const renderer: Renderer | undefined = truthFont && { kind: 'fluidsynth', font: truthFont };
    const truth = { melody: byName(m), instrument: b, ...(renderer ? { renderer } : {}) };
    return {
      name: `${a.name}-${b.name}${renderer ? `@${rendererTag(renderer)}` : ''}`,
      content: { melody: byName(m), instrument: a },
      style: { melody: byName(m2), instrument: b },
      truth,
      source: sourceOf(renderer ?? b.renderer ?? { kind: 'fluidsynth', font: 'FluidR3' }),
    };
  });
}

function pairSet(set: SetName, name: CorpusName, melodies: Melody[], groups: Pair[][]): PairSet {
  const all = groups.flat();
  const names = all.map((p) => p.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`the ${set} ${name} set names the pair "${twice}" twice`);
  return { set, name, melodies, pairs: all };
}

const { piano, violin, guitar, flute, marimba, clarinet, trumpet, vibraphone, cello, harp, oboe, steelGuitar, altoSax, harpsichord } = INSTRUMENTS;
const lines = (c: Corpus): Line[] => c.pairs.map((p) => [p.content.instrument, p.style.instrument, p.content.melody.name, p.style.melody.name]);

const POLY_DEV = [...DEV_PIECES, ...DEV_MELODIES];
const POLY_HOLDOUT = [...HOLDOUT_PIECES, ...HOLDOUT_MELODIES];

/** Every set, by name and part. */
export const SETS: Record<SetName, Record<CorpusName, PairSet>> = {
  single: {
    dev: pairSet('single', 'dev', DEV_MELODIES, [
      CORPORA.dev.pairs.map((p) => ({ ...p, source: 'FluidR3' as const })),
      pairs(DEV_MELODIES, lines(CORPORA.dev), 'MuseScore'),
      pairs(DEV_MELODIES, [
        [piano, STK.bowed, 'long', 'runs'],
        [guitar, STK.flute, 'staccato', 'long'],
        [marimba, STK.clarinet, 'leaps', 'legato'],
        [flute, STK.bowed, 'legato', 'leaps'],
        [violin, STK.clarinet, 'rests', 'staccato'],
      ]),
    ]),
    holdout: pairSet('single', 'holdout', HOLDOUT_MELODIES, [
      CORPORA.holdout.pairs.map((p) => ({ ...p, source: 'FluidR3' as const })),
      pairs(HOLDOUT_MELODIES, lines(CORPORA.holdout), 'TimGM6mb'),
      pairs(HOLDOUT_MELODIES, [
        [vibraphone, STK.brass, 'sustained', 'arpeggios'],
        [harp, STK.saxofony, 'pentatonic', 'sustained'],
        [oboe, STK.mandolin, 'arpeggios', 'octaves'],
        [cello, STK.saxofony, 'dotted', 'waltz'],
        [harpsichord, STK.brass, 'octaves', 'dotted'],
      ]),
    ]),
  },
  poly: {
    dev: pairSet('poly', 'dev', POLY_DEV, [
      pairs(POLY_DEV, [
        [piano, violin, 'chords', 'legato'],
        [violin, piano, 'leaps', 'piano-piece'],
        [piano, guitar, 'piano-piece', 'arpeggio-pedal'],
        [guitar, piano, 'arpeggio-pedal', 'chords'],
        [guitar, flute, 'bass-tune', 'runs'],
        [clarinet, marimba, 'two-voices', 'bass-tune'],
        [trumpet, guitar, 'staccato', 'two-voices'],
      ]),
      pairs(
        POLY_DEV,
        [
          [piano, violin, 'chords', 'legato'],
          [guitar, piano, 'arpeggio-pedal', 'chords'],
          [clarinet, marimba, 'two-voices', 'bass-tune'],
        ],
        'MuseScore',
      ),
      pairs(POLY_DEV, [
        [piano, STK.clarinet, 'two-voices', 'legato'],
        [guitar, STK.bowed, 'chords', 'runs'],
        [piano, STK.flute, 'bass-tune', 'piano-piece'],
      ]),
    ]),
    holdout: pairSet('poly', 'holdout', POLY_HOLDOUT, [
      pairs(POLY_HOLDOUT, [
        [harpsichord, cello, 'chorale', 'waltz'],
        [cello, harpsichord, 'octaves', 'broken-chords'],
        [vibraphone, oboe, 'canon', 'pentatonic'],
        [harp, altoSax, 'walking-bass', 'sustained'],
        [steelGuitar, vibraphone, 'waltz-piece', 'chorale'],
        [oboe, harp, 'dotted', 'walking-bass'],
      ]),
      pairs(
        POLY_HOLDOUT,
        [
          [harpsichord, cello, 'chorale', 'waltz'],
          [steelGuitar, vibraphone, 'waltz-piece', 'chorale'],
        ],
        'TimGM6mb',
      ),
      pairs(POLY_HOLDOUT, [
        [harp, STK.brass, 'canon', 'waltz'],
        [vibraphone, STK.saxofony, 'walking-bass', 'dotted'],
        [harpsichord, STK.mandolin, 'broken-chords', 'waltz-piece'],
      ]),
    ]),
  },
};

/** Every renderer a set's clips use. */
export function renderersOf(set: PairSet): Renderer[] {
  const out = new Map<string, Renderer>();
  for (const p of set.pairs) {
    for (const c of [p.content, p.style, p.truth]) {
      const r = c.renderer ?? c.instrument.renderer;
      if (r) out.set(rendererTag(r), r);
    }
  }
  return [...out.values()];
}
