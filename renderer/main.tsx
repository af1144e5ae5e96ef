/**
 * Renderer entry: connects to the shell API (Electron preload or the local server's
 * WebSocket), builds the store, controller and Tone.js transport, and mounts the app.
 */
import { createRoot } from 'react-dom/client';
import { App } from './components/app';
import { ControllerContext } from './app/context';
import { Controller } from './app/controller';
import type { GramophoneBridge } from '../common/contract';
import { getApi } from './api/get-api';
import { onConnectionChange } from './api/connection';
import * as A from './state/actions';
import { createStore } from './state/store';
import { initialState } from './state/app-state';
import { createTonePlayback } from './audio/tone-playback';
import { installTestHooks } from './test-hooks';
import './styles.css';

async function main() {
  const root = createRoot(document.getElementById('root')!);
  let api: GramophoneBridge;
  try {
    api = await getApi();
  } catch (e) {
    root.render(
      <div className="fatal" role="alert">
        Gramophone could not connect to its engine: {e instanceof Error ? e.message : String(e)}
      </div>,
    );
    return;
  }
  const store = createStore(initialState());
  // The web server stopping is shown on the transport bar until the page reloads.
  onConnectionChange((s) => store.dispatch(A.setServer, s));
  const controller = new Controller(api, store, createTonePlayback());
  installTestHooks(controller, location.search);
  root.render(
    <ControllerContext.Provider value={controller}>
      <App />
    </ControllerContext.Provider>,
  );
  await controller.init();
}

void main();
