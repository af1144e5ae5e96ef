/**
 * Renderer entry: picks the shell API (Electron preload or the local server's WebSocket;
 * `?fake` runs on an in-memory fake for UI development), builds the store, controller and
 * Tone.js transport, and mounts the app.
 */
import { createRoot } from 'react-dom/client';
import { App } from './components/app';
import { ControllerContext } from './app/context';
import { Controller } from './app/controller';
import type { UiBridge } from './app/bridge';
import { createStore } from './state/store';
import { initialState } from './state/app-state';
import { createTonePlayback } from './audio/tone-playback';
import { createFakeApi } from './dev/fake-api';
import { renderCounts } from './view/render-count';
import './styles.css';

// The shell's API module may not exist in every checkout stage; a glob resolves to nothing
// instead of failing the build.
const shellModules = import.meta.glob<{ getApi: () => UiBridge | Promise<UiBridge> }>('./api/get-api.ts');

async function pickApi(): Promise<UiBridge> {
  if (new URLSearchParams(location.search).has('fake')) return createFakeApi({ storage: localStorage });
  const load = shellModules['./api/get-api.ts'];
  if (!load) throw new Error('This build has no shell API: open it from Gramophone or the local server.');
  return (await load()).getApi();
}

async function main() {
  const root = createRoot(document.getElementById('root')!);
  let api: UiBridge;
  try {
    api = await pickApi();
  } catch (e) {
    root.render(<div className="fatal" role="alert">Gramophone could not connect to its engine: {e instanceof Error ? e.message : String(e)}</div>);
    return;
  }
  const store = createStore(initialState());
  const controller = new Controller(api, store, createTonePlayback());
  // A handle for end-to-end tests and debugging from the console; read-only use. `renders`
  // counts component renders; `storeChanges` counts state updates.
  const handle = { controller, store, renders: renderCounts, storeChanges: 0 };
  store.subscribe(() => void handle.storeChanges++);
  (window as unknown as { __gramophone: unknown }).__gramophone = handle;
  root.render(
    <ControllerContext.Provider value={controller}>
      <App />
    </ControllerContext.Provider>,
  );
  await controller.init();
}

void main();
