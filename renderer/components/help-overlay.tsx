/** The one-screen introduction shown on a first start, and the shortcut sheet (?). */
import { useAppState, useController } from '../app/context';
import * as A from '../state/actions';
import { SHORTCUTS } from '../view/shortcuts';

export function HelpOverlay() {
  const c = useController();
  const overlay = useAppState((s) => s.overlay);
  if (!overlay) return null;
  const close = () => c.store.dispatch(A.setOverlay, null);
  return (
    <div className="modal-backdrop" onClick={close} onKeyDown={(e) => e.key === 'Escape' && close()}>
      {overlay === 'intro' ? (
        <div className="modal intro" role="dialog" aria-modal="true" aria-label="Welcome" onClick={(e) => e.stopPropagation()}>
          <h2>Welcome to Gramophone</h2>
          <ol>
            <li>
              <b>Content</b> is what is played (a melody, a voice); <b>style</b> is how it should sound (a violin, bongos). The demo pair is loaded: drop your own audio files (WAV, MP3, FLAC, AIFF,
              Ogg, M4A) onto the lanes, or press a lane’s <b>Open…</b> button.
            </li>
            <li>
              Press <b>Render</b> (Ctrl+Enter): the default preset, <i>Timbre transfer</i>, plays the content’s notes with the style’s own sounds; the estimate beside the button says how long it will
              take. The <b>loss weights</b> on the right steer it: more <i>content</i> keeps more of the content’s own sound; turning on <i>style</i> or <i>texture</i> takes on the style’s texture.
            </li>
            <li>
              Compare with the number keys <kbd>1</kbd> <kbd>2</kbd> <kbd>3</kbd>…: every lane plays at the same loudness, so the comparison is fair. The take’s Dry/wet blends it with the content.
            </li>
            <li>Ctrl+Z undoes a slider move; the session (tracks, takes, settings) is kept when you close the app. Export a take as a WAV stem when you like it.</li>
          </ol>
          <p className="dim">
            Press <kbd>?</kbd> any time for the keyboard shortcuts.
          </p>
          <div className="button-row end">
            <button className="primary" autoFocus onClick={close}>
              Start
            </button>
          </div>
        </div>
      ) : (
        <div className="modal shortcuts" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
          <h2>Keyboard shortcuts</h2>
          <dl>
            {SHORTCUTS.map(([keys, what]) => (
              <div key={keys} className="shortcut">
                <dt>
                  <kbd>{keys}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
          <div className="button-row end">
            <button autoFocus onClick={close}>
              Close
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
