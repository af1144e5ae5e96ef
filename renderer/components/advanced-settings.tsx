/** Every other preset field, in a collapsible section. */
import { useAppState, useController } from '../app/context';
import * as A from '../state/actions';
import { ACTIVATIONS, BACKENDS, INITS, OPTIMIZERS } from '../../common/preset';
import { presetProblems } from '../../common/preset';
import type { PresetPath } from '../state/preset-edit';
import { NumberField } from './number-field';
import { countRender } from '../view/render-count';

const FFT_SIZES = [256, 512, 1024, 2048, 4096, 8192];
const RATES = [16000, 22050, 32000, 44100, 48000];
// What a musician reads in the menus; the preset keeps the short identifiers.
const ACTIVATION_NAMES: Record<(typeof ACTIVATIONS)[number], string> = { relu: 'ReLU', selu: 'SELU', tanh: 'tanh' };
const OPTIMIZER_NAMES: Record<(typeof OPTIMIZERS)[number], string> = { lbfgs: 'L-BFGS', adam: 'Adam' };
const INIT_NAMES: Record<(typeof INITS)[number], string> = { content: 'the content', noise: 'noise' };
const BACKEND_NAMES: Record<(typeof BACKENDS)[number], string> = { auto: 'Automatic', onnx: 'ONNX Runtime', tfjs: 'TensorFlow.js' };
const khz = (hz: number) => `${Number((hz / 1000).toFixed(3))} kHz`;

export function AdvancedSettings() {
  countRender('AdvancedSettings');
  const c = useController();
  const p = useAppState((s) => s.preset);
  const set = (path: PresetPath, value: unknown) => c.store.dispatch(A.setField, { path, value });
  const problems = presetProblems(p);
  const num = (label: string, path: PresetPath, value: number, min: number, max: number, integer = true, disabled = false) => (
    <label className={`field ${disabled ? 'disabled' : ''}`}>
      <span>{label}</span>
      <NumberField label={label} value={value} min={min} max={max} integer={integer} disabled={disabled} onCommit={(v) => set(path, v)} />
    </label>
  );
  const sel = <T extends string | number>(label: string, path: PresetPath, value: T, options: readonly T[], parse: (s: string) => T, show: (o: T) => string = String) => (
    <label className="field">
      <span>{label}</span>
      <select aria-label={label} value={String(value)} onChange={(e) => set(path, parse(e.target.value))}>
        {options.map((o) => (
          <option key={String(o)} value={String(o)}>
            {show(o)}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <details className="panel advanced">
      <summary>Advanced settings</summary>
      <div className="fields">
        <h3>Network</h3>
        {num('Filters', 'network.filters', p.network.filters, 1, 8192)}
        {num('Kernel width (frames)', 'network.kernel', p.network.kernel, 1, 64)}
        {sel('Activation', 'network.activation', p.network.activation, ACTIVATIONS, (s) => s as (typeof ACTIVATIONS)[number], (o) => ACTIVATION_NAMES[o])}
        <label className="field">
          <span>Seed</span>
          <span className="inline">
            <NumberField label="Seed" value={p.network.seed} min={0} max={0xffffffff} integer onCommit={(v) => set('network.seed', v)} />
            <button className="small" aria-label="Re-roll seed" title="New random seed" onClick={() => set('network.seed', Math.floor(Math.random() * 0xffffffff))}>
              ⟳
            </button>
          </span>
        </label>
        <h3>Analysis</h3>
        {sel('FFT size (samples)', 'analysis.nFft', p.analysis.nFft, FFT_SIZES, Number)}
        {num('Hop (samples)', 'analysis.hop', p.analysis.hop, 16, 8192)}
        {sel('Sample rate', 'analysis.sampleRate', p.analysis.sampleRate, RATES.includes(p.analysis.sampleRate) ? RATES : [...RATES, p.analysis.sampleRate], Number, khz)}
        <h3>Optimiser</h3>
        {sel('Method', 'optimizer.kind', p.optimizer.kind, OPTIMIZERS, (s) => s as (typeof OPTIMIZERS)[number], (o) => OPTIMIZER_NAMES[o])}
        {num('Iterations', 'optimizer.iterations', p.optimizer.iterations, 1, 10000)}
        {num('Learning rate', 'optimizer.learningRate', p.optimizer.learningRate, 1e-9, 100, false)}
        {sel('Start from', 'init', p.init, INITS, (s) => s as (typeof INITS)[number], (o) => INIT_NAMES[o])}
        {sel('Backend', 'backend', p.backend, BACKENDS, (s) => s as (typeof BACKENDS)[number], (o) => BACKEND_NAMES[o])}
        <h3>Reconstruction</h3>
        {num('Griffin-Lim iterations', 'griffinLim.iterations', p.griffinLim.iterations, 0, 5000)}
        {num('Griffin-Lim momentum', 'griffinLim.momentum', p.griffinLim.momentum, 0, 1.5, false)}
        <label className="field check-field">
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
