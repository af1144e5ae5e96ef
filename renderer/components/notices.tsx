/** Transient messages (saved, deleted with Undo, errors), bottom right. */
import { useEffect } from 'react';
import { useAppState, useController } from '../app/context';
import * as A from '../state/actions';

export function Notices() {
  const c = useController();
  const notices = useAppState((s) => s.notices);
  useEffect(() => {
    // Info notices fade after a while; errors and undo offers stay until dismissed.
    const timers = notices.filter((n) => n.kind === 'info' && !n.undo).map((n) => setTimeout(() => c.store.dispatch(A.dismissNotice, n.id), 6000));
    return () => timers.forEach(clearTimeout);
  }, [c, notices]);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span>{n.text}</span>
          {n.undo ? (
            <button className="small primary" aria-label={n.undo.label} onClick={() => void c.presets.undoDelete(n.id, n.undo!.preset)}>
              {n.undo.label}
            </button>
          ) : null}
          <button className="small ghost" aria-label="Dismiss" onClick={() => c.store.dispatch(A.dismissNotice, n.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
