/**
 * The loss terms, declared once. Every weight field, slider, chart series, tooltip, CLI flag,
 * metric and backend term derives from this table: adding a term is a row here plus its
 * statistic module in `engine/objective/statistics/`.
 *
 * Each term is normalised so that weight 1 means "as important as the others":
 * term = ‖s(X) − s(target)‖² / (‖s(target)‖² + ε) for its statistic s (docs/ARCHITECTURE.md, "The objective").
 */

/** One loss term as people and programs see it. */
export interface LossTermInfo {
  /** Key in `preset.weights`, in progress events and in take metrics. */
  readonly name: string;
  /** The weight's Greek letter, as in the papers (α β γ δ for the classic four). */
  readonly symbol: string;
  /** Short label for sliders and legends. */
  readonly label: string;
  /** What raising the weight does to the sound, in a musician's words. */
  readonly hint: string;
  /** Chart and legend colour (CSS hex). */
  readonly colour: string;
  /** The command-line flag that sets the weight. */
  readonly cliFlag: string;
  /** What √(final term) measures, shown beside a take: a relative error (0 = matched). */
  readonly metric: string;
  /**
   * What its statistic needs besides X: `frequencies` — bins that are frequencies (a
   * spectral front end, not MFCC); `noteTemplate` — the template a render builds from the
   * notes of both inputs. Preset validation and the objective's planner read this.
   */
  readonly needs?: 'frequencies' | 'noteTemplate';
}

/** The terms in slider order. The first four are Verma & Smith's α·Lc + β·Ls + γ·Le + δ·Lt. */
export const LOSS_TERM_TABLE = [
  {
    name: 'content',
    symbol: 'α',
    label: 'Content',
    hint: 'Keeps what is played: the content’s features as the network sees them (melody, rhythm, and some of its colour)',
    colour: '#62b6f0',
    cliFlag: '--alpha',
    metric: 'content feature distance',
  },
  {
    name: 'style',
    symbol: 'β',
    label: 'Style',
    hint: 'Takes on the style’s texture: which features occur together in it (Gram matrices), wherever they occur in time',
    colour: '#ff8f5e',
    cliFlag: '--beta',
    metric: 'style Gram error',
  },
  {
    name: 'energy',
    symbol: 'γ',
    label: 'Energy envelope',
    hint: 'Follows a loudness curve over time: the style’s stretched to the take’s length, or the content’s (keeps the rhythm)',
    colour: '#9fdc6a',
    cliFlag: '--gamma',
    metric: 'energy envelope error',
  },
  {
    name: 'timbre',
    symbol: 'δ',
    label: 'Timbral envelope',
    hint: 'Matches the style’s average spectrum: its overall colour and body resonances',
    colour: '#c99bff',
    cliFlag: '--delta',
    metric: 'timbral envelope error',
  },
  {
    name: 'texture',
    symbol: 'κ',
    label: 'Texture statistics',
    hint: 'Matches the style’s sound-texture statistics (McDermott & Simoncelli): how each band’s envelope fluctuates, and how bands move together',
    colour: '#f2c94c',
    cliFlag: '--kappa',
    metric: 'texture statistics error',
    needs: 'frequencies',
  },
  {
    name: 'envelope',
    symbol: 'ζ',
    label: 'Spectral envelope',
    hint: 'Gives every moment the style’s spectral envelope (its formants and body resonances, cepstrally smoothed) while the content keeps its pitches',
    colour: '#4fd1c5',
    cliFlag: '--zeta',
    metric: 'frame-wise envelope error',
    needs: 'frequencies',
  },
  {
    name: 'notes',
    symbol: 'ν',
    label: 'Note templates',
    hint: 'Follows the style instrument’s own notes, moved to the content’s pitches and note times: its attack, harmonics and sustain',
    colour: '#f78fb3',
    cliFlag: '--nu',
    metric: 'note template distance',
    needs: 'noteTemplate',
  },
] as const satisfies readonly LossTermInfo[];

/** Names of the loss terms, in slider order. */
export const LOSS_TERMS = LOSS_TERM_TABLE.map((t) => t.name) as readonly LossTermName[];
export type LossTermName = (typeof LOSS_TERM_TABLE)[number]['name'];

/** What a term's statistic needs besides X (see `LossTermInfo.needs`). */
export const termNeeds = (name: LossTermName): LossTermInfo['needs'] => (LOSS_TERM_TABLE.find((t) => t.name === name) as LossTermInfo).needs;

/** A value per loss term (weights, term values, errors). */
export type PerTerm<V = number> = Record<LossTermName, V>;

/** A record with `value` for every term. */
export const perTerm = <V>(value: (name: LossTermName) => V): PerTerm<V> => Object.fromEntries(LOSS_TERMS.map((n) => [n, value(n)])) as PerTerm<V>;
