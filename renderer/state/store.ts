/**
 * The one store: holds an AppState, applies pure actions, notifies subscribers. React
 * reads it through `useSyncExternalStore` (see `app/context.tsx`).
 */
import type { AppState } from './app-state';
import type { Action } from './actions';

export interface Store {
  getState(): AppState;
  /** Apply `action(state, payload)`; subscribers run only if the state object changed. */
  dispatch<P>(action: Action<P>, payload: P): AppState;
  subscribe(listener: () => void): () => void;
}

export function createStore(initial: AppState): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action, payload) {
      const next = action(state, payload);
      if (next !== state) {
        state = next;
        for (const l of [...listeners]) l();
      }
      return state;
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
