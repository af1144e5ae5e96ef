/**
 * A selector of several top-level state fields at once that returns the same object while
 * none of them changed, so a component can subscribe to them in one call without
 * re-rendering on every store update.
 */
import type { AppState } from './app-state';

/**
 * A selector returning `{ [k]: state[k] }` for `keys`: the object from its last call while every
 * picked field is the same (`===`), a new one when any of them changed.
 */
export function fieldPicker<K extends keyof AppState>(keys: readonly K[]): (s: AppState) => Pick<AppState, K> {
  let last: Pick<AppState, K> | null = null;
  return (s) => {
    const prev = last;
    if (prev && keys.every((k) => prev[k] === s[k])) return prev;
    const next = {} as Pick<AppState, K>;
    for (const k of keys) next[k] = s[k];
    last = next;
    return next;
  };
}
