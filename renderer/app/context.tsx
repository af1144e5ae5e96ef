/** React access to the controller (and through it the API, the store and the playback). */
import { createContext, useContext, useState, useSyncExternalStore } from 'react';
import type { Controller } from './controller';
import type { AppState } from '../state/app-state';
import { fieldPicker } from '../state/pick-fields';

export const ControllerContext = createContext<Controller | null>(null);

export function useController(): Controller {
  const c = useContext(ControllerContext);
  if (!c) throw new Error('ControllerContext is missing');
  return c;
}

/**
 * Subscribe to a slice of the state. The selector must return something stable for an
 * unchanged state (a field, not a freshly built object) or the component re-renders often.
 */
export function useAppState<T>(select: (s: AppState) => T): T {
  const c = useController();
  return useSyncExternalStore(c.store.subscribe, () => select(c.store.getState()));
}

/**
 * Subscribe to several top-level fields of the state at once: `{ [k]: state[k] }` for `keys`,
 * the same object until one of them changes. The keys are read on the first render only.
 */
export function useAppFields<K extends keyof AppState>(...keys: K[]): Pick<AppState, K> {
  const [pick] = useState(() => fieldPicker(keys));
  return useAppState(pick);
}
