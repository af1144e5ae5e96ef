/** Every other preset field, in a collapsible section: the objective's stages, then analysis, optimiser and reconstruction. */
import { useAppState, useController } from '../app/context';
import * as A from '../state/actions';
import { BACKENDS, INITS, LIMITS, OPTIMIZERS } from '../../common/preset';
import { problemsOf, type PresetPath } from '../state/preset-edit';
import { NumberField } from './number-field';
import { OptionList } from './option-list';
import { FrontEndSettings, NetworkSettings, StatisticsSettings } from './objective-settings';
import { FIELD_HINTS } from '../view/objective-words';
import { countRender } from '../view/render-count';

const FFT_SIZES = [256, 512, 1024, 2048, 4096, 8192];
const RATES = [16000, 22050, 32000, 44100, 48000];
// What a musician reads in the menus; the preset keeps the short identifiers.
const OPTIMIZER_NAMES: Record<(typeof OPTIMIZERS)[number], string> = { lbfgs: 'L-BFGS', adam: 'Adam' };
const INIT_NAMES: Record<(typeof INITS)[number], string> = {
  content: 'the content',
  noise: 'noise',
  matchEq: 'the content, EQ’d towards the style',
  notes: 'note templates (the style’s notes at the content’s)',
};
const BACKEND_NAMES: Record<(typeof BACKENDS)[number], string> = { auto: 'Automatic', onnx: 'ONNX Runtime', tfjs: 'TensorFlow.js' };
const khz = (hz: number) => `${Number((hz / 1000).toFixed(3))} kHz`;

export function AdvancedSettings() {
  countRender('AdvancedSettings');
  const c = useController();
  const p = useAppState((s) => s.preset);
  const set = (path: PresetPath, value: unknown) => c.store.dispatch(A.editField, { path, value, at: Date.now() });
  const problems = problemsOf(p);
  const num = (label: string, path: PresetPath, value: number, min: number, max: number, integer = true, disabled = false) => (
    <label className={`field ${disabled ? 'disabled' : ''}`} title={FIELD_HINTS[path]}>
      <span>{label}</span>
      <NumberField label={label} value={value} min={min} max={max} integer={integer} disabled={disabled} onCommit={(v) => set(path, v)} />
    </label>
  );
  // The chosen option is found by its text, so it keeps its type (a number stays a number).
  const sel = <T extends string | number>(label: string, path: PresetPath, value: T, options: readonly T[], show: (o: T) => string = String) => (
    <label className="field" title={FIELD_HINTS[path]}>
      <span>{label}</span>
      <select
        aria-label={label}
        value={String(value)}
        onChange={(e) =>
          set(
            path,
            options.find((o) => String(o) === e.target.value),
          )
        }
      >
        <OptionList values={options} show={show} />
      </select>
    </label>
  );
  return (
    <details className="panel advanced">
      <summary>Advanced settings</summary>
      <div className="fields">
        <h3>Analysis</h3>
        {sel('FFT size (samples)', 'analysis.nFft', p.analysis.nFft, FFT_SIZES)}
        {num('Window (samples)', 'analysis.window', p.analysis.window, LIMITS.window[0], Math.min(LIMITS.window[1], p.analysis.nFft))}
        {num('Hop (samples)', 'analysis.hop', p.analysis.hop, LIMITS.hop[0], LIMITS.hop[1])}
        {sel('Sample rate', 'analysis.sampleRate', p.analysis.sampleRate, RATES.includes(p.analysis.sampleRate) ? RATES : [...RATES, p.analysis.sampleRate], khz)}
        <FrontEndSettings p={p} set={set} />
        <NetworkSettings p={p} set={set} />
        <StatisticsSettings p={p} set={set} />
        <h3>Optimiser</h3>
        {sel('Method', 'optimizer.kind', p.optimizer.kind, OPTIMIZERS, (o) => OPTIMIZER_NAMES[o])}
        {num('Iterations', 'optimizer.iterations', p.optimizer.iterations, LIMITS.iterations[0], LIMITS.iterations[1])}
        {num('Learning rate', 'optimizer.learningRate', p.optimizer.learningRate, 1e-9, 100, false)}
        {sel('Start from', 'init', p.init, INITS, (o) => INIT_NAMES[o])}
        {sel('Backend', 'backend', p.backend, BACKENDS, (o) => BACKEND_NAMES[o])}
        <h3>Reconstruction</h3>
        {num('Griffin-Lim iterations', 'griffinLim.iterations', p.griffinLim.iterations, LIMITS.glIterations[0], LIMITS.glIterations[1])}
        {num('Griffin-Lim momentum', 'griffinLim.momentum', p.griffinLim.momentum, 0, 1.5, false)}
        <label className="field check-field" title={FIELD_HINTS['output.normalize']}>
          <span>Output level</span>
          <span className="inline">
            <input type="checkbox" aria-label="Normalise output" checked={p.output.normalize} onChange={(e) => set('output.normalize', e.target.checked)} />
            Normalise
          </span>
        </label>
        {num('Peak (dBFS)', 'output.peakDb', p.output.peakDb, -60, 0, false, !p.output.normalize)}
      </div>
      {problems ? (
        <p className="problem" role="alert">
          {problems}
        </p>
      ) : null}
    </details>
  );
}
