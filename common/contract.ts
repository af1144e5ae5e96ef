/**
 * The renderer-facing API, declared once, in parts by concern under `common/api/`: the app
 * (`app.ts`), tracks (`tracks.ts`), uploads (`uploads.ts`), renders (`renders.ts`), presets
 * (`presets.ts`), exports (`exports.ts`) and the session (`session.ts`). Main registers a handler for every method (one handler file per
 * part under `main/handlers/`, validated against these schemas), the preload exposes
 * exactly these methods, the renderer calls them through one small client per part under
 * `renderer/app/`. The browser bridge (local server + WebSocket) serves the same spec with
 * the same handlers.
 */
import { defineApi, type ApiClient, type EventData, type EventName } from './rpc';
import { appEvents, appMethods } from './api/app';
import { trackMethods } from './api/tracks';
import { uploadMethods } from './api/uploads';
import { renderEvents, renderMethods } from './api/renders';
import { presetMethods } from './api/presets';
import { exportMethods } from './api/exports';
import { sessionMethods } from './api/session';
import { batchFolderMethods } from './api/batch-folders';

export * from './api/app';
export * from './api/tracks';
export * from './api/presets';
export * from './api/session';

export const rendererApi = defineApi({
  methods: { ...appMethods, ...trackMethods, ...uploadMethods, ...renderMethods, ...presetMethods, ...exportMethods, ...sessionMethods, ...batchFolderMethods },
  events: { ...appEvents, ...renderEvents },
});

export type RendererSpec = typeof rendererApi;
/** What the renderer calls: one async method per contract method. */
export type RendererApi = ApiClient<RendererSpec>;

export type RendererEvent = EventName<RendererSpec>;
export type RendererEventData<E extends RendererEvent> = EventData<RendererSpec, E>;

/**
 * What the renderer holds: the API plus event subscription. The page's view of the preload
 * and the browser's WebSocket client both implement it; listeners get the event's data
 * only, never a transport object. `on` returns an unsubscribe function.
 */
export type GramophoneBridge = RendererApi & {
  on<E extends RendererEvent>(event: E, listener: (data: RendererEventData<E>) => void): () => void;
};

/**
 * What the preload exposes as `window.gramophone`. An AbortSignal cannot cross Electron's
 * contextBridge, so a call takes an optional `onCancel` instead: the preload hands it a
 * function that cancels the call, which the page calls when its signal aborts. Failed calls
 * reject with plain `{ code, message }` data (contextBridge would strip an Error's code).
 */
export type PreloadBridge = {
  [M in keyof RendererApi]: (args: Parameters<RendererApi[M]>[0], onCancel?: (cancel: () => void) => void) => ReturnType<RendererApi[M]>;
} & Pick<GramophoneBridge, 'on'>;

/** Prefix of every IPC channel: `gramophone:<method>` for calls. */
const IPC_PREFIX = 'gramophone:';
/** The IPC channel of a contract method. */
export const ipcChannel = (method: string) => `${IPC_PREFIX}${method}`;
/** The single IPC channel main sends events on, as `{ event, data }`. */
export const IPC_EVENT_CHANNEL = `${IPC_PREFIX}event`;
/** The IPC channel the preload sends `{ call }` on to cancel call number `call`. */
export const IPC_CANCEL_CHANNEL = `${IPC_PREFIX}cancel`;
/** Names of the contract's methods, in declaration order. */
export const RENDERER_METHODS = Object.keys(rendererApi.methods) as (keyof RendererSpec['methods'] & string)[];
/** Names of the contract's events. */
export const RENDERER_EVENTS = Object.keys(rendererApi.events) as RendererEvent[];
