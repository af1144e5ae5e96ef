/**
 * The grid form: choose one or two things to sweep (a loss weight, the preset, the seed, the
 * FFT size), type or pick their values, and render every combination as takes in the
 * background. Problems are said in words in the form; nothing is queued until it is right.
 */
import { useState } from 'react';
import { useAppFields, useController } from '../app/context';
import { SWEEP_PARAMS, gridCells, parseSweepValues, type SweepAxis, type SweepParam } from '../state/grid';

type AxisForm = { param: SweepParam | ''; text: string };

/** The values typed into one row, or why they cannot be used (null: the row is not in use). */
function axisOf(f: AxisForm, presets: Parameters<typeof parseSweepValues>[2]): SweepAxis | { error: string } | null {
  if (!f.param) return null;
  const r = parseSweepValues(f.param, f.text, presets);
  return 'error' in r ? r : { param: f.param, values: r.values };
}

function AxisRow({ n, form, onChange, presetNames }: { n: number; form: AxisForm; onChange: (f: AxisForm) => void; presetNames: string[] }) {
  const hint = SWEEP_PARAMS.find((p) => p.param === form.param)?.placeholder ?? '';
  return (
    <div className="grid-axis">
      <select
        aria-label={`Sweep ${n}`}
        value={form.param}
        onChange={(e) => onChange({ param: e.target.value as SweepParam | '', text: e.target.value === 'preset' ? presetNames.slice(0, 2).join(', ') : '' })}
      >
        <option value="">{n === 1 ? 'Choose what to sweep…' : 'Nothing else'}</option>
        {SWEEP_PARAMS.map((p) => (
          <option key={p.param} value={p.param}>
            {p.label}
          </option>
        ))}
      </select>
      <input
        aria-label={`Sweep ${n} values`}
        placeholder={hint ? `e.g. ${hint}` : ''}
        disabled={!form.param}
        value={form.text}
        onChange={(e) => onChange({ ...form, text: e.target.value })}
        list={form.param === 'preset' ? 'grid-preset-names' : undefined}
      />
    </div>
  );
}

export function GridDialog({ onClose }: { onClose: () => void }) {
  const c = useController();
  const { builtinPresets: builtin, userPresets: user, preset, region, renderSlots: slots, shell } = useAppFields('builtinPresets', 'userPresets', 'preset', 'region', 'renderSlots', 'shell');
  const [forms, setForms] = useState<AxisForm[]>([
    { param: 'weight:content', text: '0.01, 0.1, 1' },
    { param: '', text: '' },
  ]);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [folder, setFolder] = useState('');
  const openFolder = async (path?: string) => {
    if (await c.renders.openBatchFolder(path)) onClose();
  };
  const presets = [...builtin, ...user];
  const axes = forms.map((f) => axisOf(f, presets));
  const rowError = axes.find((a): a is { error: string } => !!a && 'error' in a)?.error;
  const chosen = axes.filter((a): a is SweepAxis => !!a && !('error' in a));
  const built = rowError ? null : gridCells(preset, chosen, presets);
  const problem = rowError ?? (built && 'error' in built ? built.error : null);
  const count = built && 'cells' in built ? built.cells.length : 0;

  const start = () => {
    const r = c.renders.renderGrid(chosen);
    if ('error' in r) setSubmitError(r.error);
    else onClose();
  };

  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="modal grid-dialog" role="dialog" aria-modal="true" aria-label="Grid of takes">
        <h2>Grid of takes</h2>
        <p className="dim">
          Sweep one or two settings over the values you type; every combination renders as a take{region ? ` of the region (${(region.end - region.start).toFixed(2)} s)` : ''},{' '}
          {slots > 1 ? `${slots} at a time` : 'one at a time'}, from the current controls.
        </p>
        {forms.map((f, i) => (
          <AxisRow key={i} n={i + 1} form={f} presetNames={presets.map((p) => p.name)} onChange={(nf) => setForms(forms.map((x, j) => (j === i ? nf : x)))} />
        ))}
        <datalist id="grid-preset-names">
          {presets.map((p) => (
            <option key={p.name} value={p.name} />
          ))}
        </datalist>
        <div className="grid-summary" role="status" aria-label="Grid summary">
          {problem ? <span className="error-text">{problem}</span> : built && 'cells' in built ? `${count} take${count === 1 ? '' : 's'}: ${built.cells.map((x) => x.label).join(', ')}` : ''}
        </div>
        {submitError ? (
          <div className="error-text" role="alert">
            {submitError}
          </div>
        ) : null}
        <details className="batch-open">
          <summary>Or open a batch folder made by gramophone batch</summary>
          <div className="grid-axis">
            <input
              aria-label="Batch folder path"
              placeholder={shell === 'web' ? 'a folder in the export folder, or a full path' : 'a full path (or Choose…)'}
              value={folder}
              onChange={(e) => setFolder(e.target.value)}
            />
            <div className="button-row">
              <button className="small" disabled={!folder.trim()} onClick={() => void openFolder(folder.trim())}>
                Open folder
              </button>
              {shell === 'electron' ? (
                <button className="small" onClick={() => void openFolder()}>
                  Choose…
                </button>
              ) : null}
            </div>
          </div>
        </details>
        <div className="button-row end">
          <button onClick={onClose}>Cancel</button>
          <button className="primary" disabled={!!problem || count === 0} onClick={start}>
            Render {count} take{count === 1 ? '' : 's'}
          </button>
        </div>
      </div>
    </div>
  );
}
