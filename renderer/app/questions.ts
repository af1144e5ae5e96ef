/**
 * Questions the page asks in place ("Discard your changes?"), the same way in Electron and in
 * a browser: the question goes into the state for the dialog to show, and `ask` resolves
 * with the answer the person gives there.
 */
import type { Question } from '../state/app-state';
import type { Store } from '../state/store';
import * as A from '../state/actions';

export class Questions {
  private pending: ((yes: boolean) => void) | null = null;

  constructor(private readonly store: Store) {}

  /** Show `q`; resolves true when the person confirms, false when they cancel (or another question replaces it). */
  ask(q: Question): Promise<boolean> {
    this.pending?.(false);
    this.store.dispatch(A.setQuestion, q);
    return new Promise((resolve) => (this.pending = resolve));
  }

  /** The person's answer to the question on screen. */
  answer(yes: boolean): void {
    const p = this.pending;
    this.pending = null;
    this.store.dispatch(A.setQuestion, null);
    p?.(yes);
  }
}
