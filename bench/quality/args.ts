/** The quality benchmark's command line. */
import { GramophoneError } from '../../common/errors';
import { CORPUS_NAMES, SET_NAMES, type CorpusName, type SetName } from './melodies';

export interface QualityArgs {
  /** Single melodic lines or polyphonic content. */
  set: SetName;
  corpus: CorpusName;
  /** System names or slugs; undefined = all. */
  systems?: string[];
  /** Pair indices or names; undefined = all. */
  pairs?: string[];
  presetFiles: string[];
  /** Results folder (the corpus cache is its `corpus/` subfolder). */
  out: string;
  /** Write spectrogram pictures of the first selected pair. */
  png: boolean;
  help: boolean;
}

export const QUALITY_USAGE = `Usage: npm run bench:quality -- [--set single|poly] [--corpus dev|holdout] [--systems A,B]
                              [--pairs 0,piano-violin] [--preset-file a.json,b.json] [--out DIR] [--png]
  Scores every system on every pair of the set against the truth rendition and prints one
  JSON line per system × pair; then writes DIR/quality-<corpus>.jsonl (poly:
  DIR/quality-poly-<corpus>.jsonl; merged with the rows of earlier runs by system and pair)
  and the .md beside it: tables of means per system, one per truth source (FluidR3, another
  sound font, STK physical models). A system that fails on a pair prints a line with
  "error" and the run goes on (exit 1).
  --set          single (default: single melodic lines) or poly (chords, voices, bass and
                 tune, held arpeggios, piano pieces; solo and chordal styles)
  --corpus       dev (default; for tuning) or holdout (other pieces, instruments and truths)
  --systems      names or slugs: truth, content, match-eq, style, any preset name
                 (e.g. quick-preview); truth and match-eq are always scored. Default: all
  --pairs        0-based indices or names such as piano-violin, piano-violin@musescore,
                 piano-stk-bowed. Default: all
  --preset-file  preset JSON files (a preset or an array of presets) scored as systems too
  --out          results folder (default bench/results); clips are cached in DIR/corpus
  --png          spectrogram pictures of the first selected pair in DIR/png`;

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Parse argv (without node and script). @throws GramophoneError INVALID_INPUT in words */
export function parseQualityArgs(argv: readonly string[]): QualityArgs {
  const out: QualityArgs = { set: 'single', corpus: 'dev', presetFiles: [], out: 'bench/results', png: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new GramophoneError('INVALID_INPUT', `${a} needs a value\n${QUALITY_USAGE}`);
      return v;
    };
    const nonEmpty = (v: string[]) => {
      if (!v.length) throw new GramophoneError('INVALID_INPUT', `${a} needs at least one name`);
      return v;
    };
    if (a === '--set') {
      const v = value();
      if (!(SET_NAMES as readonly string[]).includes(v)) throw new GramophoneError('INVALID_INPUT', `--set must be ${SET_NAMES.join(' or ')}, not "${v}"`);
      out.set = v as SetName;
    } else if (a === '--corpus') {
      const c = value();
      if (!(CORPUS_NAMES as readonly string[]).includes(c)) throw new GramophoneError('INVALID_INPUT', `--corpus must be ${CORPUS_NAMES.join(' or ')}, not "${c}"`);
      out.corpus = c as CorpusName;
    } else if (a === '--systems') out.systems = nonEmpty(list(value()));
    else if (a === '--pairs') out.pairs = nonEmpty(list(value()));
    else if (a === '--preset-file') out.presetFiles.push(...nonEmpty(list(value())));
    else if (a === '--out') out.out = value();
    else if (a === '--png') out.png = true;
    else if (a === '-h' || a === '--help') out.help = true;
    else throw new GramophoneError('INVALID_INPUT', `Unknown argument "${a}"\n${QUALITY_USAGE}`);
  }
  return out;
}
