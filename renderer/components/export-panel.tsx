/** Export the selected take(s) as WAV stems, through the shell. */
import { useAppState, useController } from '../app/context';
import * as A from '../state/actions';
import type { ExportFormat } from '../../common/audio';
import { elideMiddle } from '../view/elide';
import { countRender } from '../view/render-count';

export function ExportPanel() {
  countRender('ExportPanel');
  const c = useController();
  const format = useAppState((s) => s.exportFormat);
  const state = useAppState((s) => s);
  const last = useAppState((s) => s.lastExport);
  const blended = useAppState((s) => s.exportBlended);
  const shell = useAppState((s) => s.shell);
  const selection = A.exportSelection(state);
  const set = (f: Partial<ExportFormat>) => c.store.dispatch(A.setExportFormat, f);
  return (
    <section className="panel export" aria-label="Export panel">
      <h2>Export stems</h2>
      <label className="field">
        <span>Encoding</span>
        <select aria-label="Export encoding" value={format.encoding} onChange={(e) => set({ encoding: e.target.value as ExportFormat['encoding'] })}>
          <option value="pcm16">16-bit PCM</option>
          <option value="pcm24">24-bit PCM</option>
          <option value="float32">32-bit float</option>
        </select>
      </label>
      <label className="field">
        <span>Sample rate</span>
        <select
          aria-label="Export sample rate"
          value={String(format.sampleRate)}
          onChange={(e) => set({ sampleRate: e.target.value === 'engine' ? 'engine' : (Number(e.target.value) as 44100 | 48000) })}
        >
          <option value="engine">as rendered</option>
          <option value="44100">44.1 kHz</option>
          <option value="48000">48 kHz</option>
        </select>
      </label>
      <label className="field">
        <span>Channels</span>
        <select aria-label="Export channels" value={String(format.channels)} onChange={(e) => set({ channels: Number(e.target.value) as 1 | 2 })}>
          <option value="1">mono</option>
          <option value="2">stereo (dual mono)</option>
        </select>
      </label>
      <label className="field" title="A take whose Dry/wet is below 100 % can be written blended with its content, as you hear it">
        <span>Take</span>
        <select aria-label="Export takes as" value={blended ? 'blended' : 'rendered'} onChange={(e) => c.store.dispatch(A.setExportBlended, e.target.value === 'blended')}>
          <option value="rendered">as rendered</option>
          <option value="blended">as blended (dry/wet)</option>
        </select>
      </label>
      {/* One row: a short dock has no height for a second. */}
      <div className="export-actions">
        <button
          className="primary"
          disabled={!selection.length}
          onClick={() => void c.exports.exportTakes()}
          title={shell === 'web' ? 'Writes into the server’s export folder' : 'Choose where to save'}
        >
          {selection.length > 1 ? `Export ${selection.length} takes` : 'Export take'}
        </button>
        <button
          aria-label="Export notes as MIDI"
          disabled={!state.contentId && !state.styleId}
          onClick={() => void c.exports.exportNotes()}
          title="Export the notes heard in every lane as a MIDI file, one track per lane"
        >
          MIDI
        </button>
      </div>
      {!selection.length ? <p className="export-hint">Render a take to export it.</p> : null}
      {last ? (
        <ul className="export-paths mono" aria-label="Exported files">
          {last.map((p) => (
            <li key={p} title={p}>
              ✓ {elideMiddle(p.split(/[\\/]/).pop() ?? p, 27)}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
