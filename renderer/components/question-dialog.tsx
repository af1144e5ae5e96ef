/** The question the page is asking ("Discard your changes?"), as a small modal with its two answers. */
import { useEffect, useRef } from 'react';
import { useAppState, useController } from '../app/context';

export function QuestionDialog() {
  const c = useController();
  const q = useAppState((s) => s.question);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), [q]);
  if (!q) return null;
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && c.questions.answer(false)}>
      <div className="modal question" role="alertdialog" aria-modal="true" aria-label="Question" aria-describedby="question-detail">
        <p className="question-message">{q.message}</p>
        {q.detail ? (
          <p className="question-detail" id="question-detail">
            {q.detail}
          </p>
        ) : null}
        <div className="button-row end">
          <button ref={cancelRef} onClick={() => c.questions.answer(false)}>
            Cancel
          </button>
          <button className="primary" onClick={() => c.questions.answer(true)}>
            {q.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
