/**
 * Built-in (read-only, with their source) and user presets: load, save, save as, rename,
 * delete (with undo), import and export JSON; a marker when the controls differ from the
 * loaded preset.
 */
import { useRef, useState } from 'react';
import { useAppFields, useController } from '../app/context';
import { presetModified } from '../state/preset-edit';
import { countRender } from '../view/render-count';
import { PRESET_FILE } from '../../common/file-types';
import { FilePicker } from './file-picker';

type Mode = { kind: 'none' } | { kind: 'saveAs' } | { kind: 'rename' };

export function PresetsPanel() {
  countRender('PresetsPanel');
  const c = useController();
  const { builtinPresets: builtin, userPresets: user, loaded, preset, presetNotices: notices, shell } = useAppFields('builtinPresets', 'userPresets', 'loaded', 'preset', 'presetNotices', 'shell');
  const modified = presetModified(preset, loaded.preset);
  const [mode, setMode] = useState<Mode>({ kind: 'none' });
  const [name, setName] = useState('');
  const fileRef = useRef<HTMLInputElement>(null);

  const begin = (m: Mode) => {
    setMode(m);
    setName(m.kind === 'rename' ? loaded.name : m.kind === 'saveAs' ? (loaded.builtin ? `${loaded.name} (mine)` : `${loaded.name} copy`) : '');
  };
  const confirm = async () => {
    const ok = mode.kind === 'saveAs' ? await c.presets.saveAs(name) : mode.kind === 'rename' ? await c.presets.rename(loaded.name, name) : true;
    if (ok) setMode({ kind: 'none' });
  };
  const importClick = async () => {
    if (!(await c.presets.openDialog())) fileRef.current?.click();
  };

  const item = (p: (typeof builtin)[number], isBuiltin: boolean) => {
    const active = loaded.name === p.name && loaded.builtin === isBuiltin;
    return (
      <li key={`${isBuiltin ? 'b' : 'u'}:${p.name}`}>
        <button className={`preset-item ${active ? 'active' : ''}`} aria-label={`Load preset ${p.name}`} aria-current={active} title={p.source ?? p.name} onClick={() => void c.presets.load(p.name)}>
          <span className="preset-name">{p.name}</span>
          {isBuiltin ? <span className="badge">built-in</span> : <span className="badge user">user</span>}
          {p.source ? <span className="preset-source">{p.source}</span> : null}
        </button>
      </li>
    );
  };

  return (
    <section className="panel presets" aria-label="Presets">
      <h2>
        Preset
        <span className="current" aria-label="Current preset">
          {loaded.name}
        </span>
        {modified ? (
          <span className="modified" aria-label="Preset modified" title="The controls differ from the loaded preset">
            ● modified
          </span>
        ) : null}
      </h2>
      <ul className="preset-list" aria-label="Preset list">
        {user.map((p) => item(p, false))}
        {builtin.map((p) => item(p, true))}
      </ul>
      {mode.kind !== 'none' ? (
        <form
          className="preset-name-form"
          onSubmit={(e) => {
            e.preventDefault();
            void confirm();
          }}
        >
          <input autoFocus aria-label={mode.kind === 'saveAs' ? 'New preset name' : 'Rename preset to'} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
          <button className="small primary" type="submit" aria-label={mode.kind === 'saveAs' ? 'Confirm save as' : 'Confirm rename'} disabled={!name.trim()}>
            {mode.kind === 'saveAs' ? 'Save' : 'Rename'}
          </button>
          <button className="small" type="button" aria-label="Cancel" onClick={() => setMode({ kind: 'none' })}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="button-row">
          <button
            className="small"
            aria-label="Save preset"
            disabled={loaded.builtin || !modified}
            title={loaded.builtin ? 'Built-in presets are read-only: use Save as…' : 'Save over this preset'}
            onClick={() => void c.presets.save()}
          >
            Save
          </button>
          <button className="small" aria-label="Save preset as" onClick={() => begin({ kind: 'saveAs' })}>
            Save as…
          </button>
          <button className="small" aria-label="Rename preset" disabled={loaded.builtin} onClick={() => begin({ kind: 'rename' })}>
            Rename…
          </button>
          <button className="small" aria-label="Delete preset" disabled={loaded.builtin} onClick={() => void c.presets.delete(loaded.name)}>
            Delete
          </button>
          <button className="small" aria-label="Import presets" onClick={() => void importClick()}>
            Import…
          </button>
          <button
            className="small"
            aria-label="Export preset"
            title={shell === 'web' ? 'Write this preset as JSON into the export folder' : 'Export this preset as JSON'}
            onClick={() => void c.presets.export([loaded.name])}
          >
            Export
          </button>
          <FilePicker inputRef={fileRef} type={PRESET_FILE} label="Choose preset file" onFile={(f) => void c.presets.importFile(f)} />
        </div>
      )}
      {notices.length ? (
        <ul className="preset-notices" role="alert">
          {notices.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
