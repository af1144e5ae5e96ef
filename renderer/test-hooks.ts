/**
 * The page's test seam: with `test-hooks` in the URL's query (the end-to-end harness adds
 * it), the controller, the store and render/update counters are put on
 * `window.__gramophone` for tests to read. A page opened normally has no such global.
 */
import type { Controller } from './app/controller';
import { renderCounts } from './view/render-count';

/** The query parameter that turns the hooks on. */
export const TEST_HOOKS_PARAM = 'test-hooks';

/** Install the hooks if this page's URL asks for them. */
export function installTestHooks(controller: Controller, search: string): void {
  if (!new URLSearchParams(search).has(TEST_HOOKS_PARAM)) return;
  // `renders` counts component renders; `storeChanges` counts state updates.
  const handle = { controller, store: controller.store, renders: renderCounts, storeChanges: 0 };
  controller.store.subscribe(() => void handle.storeChanges++);
  (globalThis as unknown as { __gramophone: unknown }).__gramophone = handle;
}
