/**
 * The preload: exposes exactly the contract's renderer API as `window.gramophone`, one
 * method per IPC message, plus `on(event, listener)` for the contract's events. It never
 * exposes `ipcRenderer` or an IPC event object. Failed calls reject with plain
 * `{ code, message }` data (contextBridge would strip an Error's code); the page's
 * `getApi()` turns that back into GramophoneError.
 *
 * Runs sandboxed: bundled to CommonJS with its dependencies, requiring only `electron`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildBridge } from './bridge';

contextBridge.exposeInMainWorld(
  'gramophone',
  buildBridge({
    invoke: (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    send: (channel, ...args) => ipcRenderer.send(channel, ...args),
    on: (c, l) => ipcRenderer.on(c, l),
    off: (c, l) => ipcRenderer.removeListener(c, l),
  }),
);
