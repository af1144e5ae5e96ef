/** The session: New / Open / Save (one .gramophone file holding the audio), and Undo / Redo. */
import { useRef } from 'react';
import { useAppFields, useController } from '../app/context';
import { SESSION_FILE } from '../../common/file-types';
import { FilePicker } from './file-picker';
import { countRender } from '../view/render-count';
import type { HistoryEntry } from '../state/history';
import { fieldLabel } from '../view/preset-words';

/** "slider move" words for a history step, for the Undo / Redo tooltips. */
function stepWords(e: HistoryEntry | undefined): string {
  if (!e) return '';
  if (e.label.startsWith('Change ')) return fieldLabel(e.label.slice(7));
  if (e.label.startsWith('Load ')) return `loading ${e.label.slice(5)}`;
  if (e.label.startsWith('Rename ')) return 'rename';
  return e.label.toLowerCase();
}

export function SessionPanel() {
  countRender('SessionPanel');
  const c = useController();
  const { sessionFile: file, shell, history } = useAppFields('sessionFile', 'shell', 'history');
  const fileRef = useRef<HTMLInputElement>(null);
  const undoStep = history.past[history.past.length - 1];
  const redoStep = history.future[history.future.length - 1];
  const open = async () => {
    if (!(await c.session.open())) fileRef.current?.click();
  };
  return (
    <section className="panel session" aria-label="Session">
      <h2>
        Session
        <span className="current" title={file ?? 'Kept by Gramophone between restarts; Save writes it to a file you can move'}>
          {file ?? 'not saved to a file'}
        </span>
        <span className="spacer" />
        <button className="small" aria-label="Undo" title={undoStep ? `Undo ${stepWords(undoStep)} (Ctrl+Z)` : 'Nothing to undo'} disabled={!undoStep} onClick={() => c.undo()}>
          ↶
        </button>
        <button className="small" aria-label="Redo" title={redoStep ? `Redo ${stepWords(redoStep)} (Ctrl+Shift+Z)` : 'Nothing to redo'} disabled={!redoStep} onClick={() => c.redo()}>
          ↷
        </button>
      </h2>
      <div className="button-row">
        <button className="small" aria-label="New session" title="Empty lanes (File › New Session)" onClick={() => void c.session.newSession()}>
          New
        </button>
        <button className="small" aria-label="Open session" title="Open a .gramophone session file" onClick={() => void open()}>
          Open…
        </button>
        <button
          className="small"
          aria-label="Save session"
          title={`Save the session and its audio in one file (Ctrl+S)${shell === 'web' ? ', into the export folder' : ''}`}
          onClick={() => void c.session.save(false)}
        >
          Save
        </button>
        <button className="small" aria-label="Save session as" title="Save the session to a new file" onClick={() => void c.session.save(true)}>
          Save as…
        </button>
        <FilePicker inputRef={fileRef} type={SESSION_FILE} label="Choose session file" onFile={(f) => void c.session.importFile(f)} />
      </div>
    </section>
  );
}
