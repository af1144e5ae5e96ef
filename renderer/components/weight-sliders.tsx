/** The loss weights (α β γ δ and the newer terms): log-scale sliders with an off position and exact fields. */
import { useAppState, useController } from '../app/context';
import * as A from '../state/actions';
import { WEIGHT_STEPS, positionToWeight, weightToPosition } from '../state/preset-edit';
import { NumberField } from './number-field';
import { LOSS_TERM_TABLE, type LossTermName } from '../../common/loss-terms';
import { countRender } from '../view/render-count';

/** Marks under the sliders at their positions (0.001 sits one step from "off", so 0.01 stands for the low end). */
const SCALE_MARKS: [string, number][] = [
  ['off', 0],
  ['0.01', 0.01],
  ['1', 1],
  ['100', 100],
];

export const WEIGHT_LABELS = LOSS_TERM_TABLE.map((t) => ({ term: t.name as LossTermName, symbol: t.symbol, name: t.label, hint: t.hint }));

export function WeightSliders() {
  countRender('WeightSliders');
  const c = useController();
  const weights = useAppState((s) => s.preset.weights);
  const set = (term: LossTermName, v: number) => c.store.dispatch(A.editField, { path: `weights.${term}`, value: v, at: Date.now() });
  return (
    <section className="panel" aria-label="Loss weights">
      <h2>Loss weights</h2>
      {WEIGHT_LABELS.map(({ term, symbol, name, hint }) => {
        const w = weights[term];
        const off = w === 0;
        return (
          <div className={`weight ${off ? 'off' : ''}`} key={term} title={hint}>
            <label className="weight-label" htmlFor={`w-${term}`}>
              <span className="sym">{symbol}</span> {name}
            </label>
            <button
              className={`small toggle ${off ? '' : 'on'}`}
              aria-label={`${name} weight on`}
              aria-pressed={!off}
              title={off ? 'Turn this term on' : 'Turn this term off'}
              onClick={() => set(term, off ? 1 : 0)}
            >
              {off ? 'off' : 'on'}
            </button>
            <input
              id={`w-${term}`}
              type="range"
              min={0}
              max={WEIGHT_STEPS}
              step={1}
              aria-label={`${symbol} ${name} weight`}
              aria-valuetext={off ? 'off' : String(w)}
              value={weightToPosition(w)}
              onChange={(e) => set(term, positionToWeight(Number(e.target.value)))}
            />
            <NumberField className="weight-num" label={`${symbol} ${name} weight value`} value={w} min={0} max={1e6} onCommit={(v) => set(term, v)} />
          </div>
        );
      })}
      {/* Under the slider column, each mark where its value sits on the log scale. */}
      <div className="scale-hint mono" aria-hidden="true">
        <div className="scale-track">
          {SCALE_MARKS.map(([text, w]) => (
            <span key={text} style={{ left: `${(100 * weightToPosition(w)) / WEIGHT_STEPS}%` }}>
              {text}
            </span>
          ))}
        </div>
      </div>
    </section>
  );
}
