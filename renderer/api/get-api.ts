/**
 * The renderer's way to the shell: the preload's `window.gramophone` inside Electron, else
 * the local server's WebSocket client. Either way the UI gets a `GramophoneBridge` whose
 * calls reject with `GramophoneError` (code + message).
 */
import { rendererApi, type GramophoneBridge } from '../../common/contract';
import { fromErrorData, toErrorData } from '../../common/errors';
import { apiUrlFromLocation, connectWebClient } from './web-client';

/**
 * Errors cannot carry their code through Electron's contextBridge (only the message
 * survives), so the preload rejects with plain `{ code, message }` data; this restores
 * GramophoneError on the page's side.
 */
export function wrapPreloadBridge(raw: GramophoneBridge): GramophoneBridge {
  const api: Record<string, unknown> = { on: raw.on.bind(raw) };
  for (const method of Object.keys(rendererApi.methods)) {
    const call = (raw as unknown as Record<string, (a: unknown) => Promise<unknown>>)[method];
    api[method] = (args: unknown) =>
      call(args).catch((e: unknown) => {
        throw fromErrorData(toErrorData(e));
      });
  }
  return api as GramophoneBridge;
}

let cached: Promise<GramophoneBridge> | null = null;

/** The shell API for this page (connects once; later calls share the connection). */
export function getApi(): Promise<GramophoneBridge> {
  cached ??= (async () => {
    const preload = (globalThis as { gramophone?: GramophoneBridge }).gramophone;
    if (preload) return wrapPreloadBridge(preload);
    // Read through globalThis so this module also type-checks (and is testable) under Node.
    const loc = (globalThis as unknown as { location: { protocol: string; host: string; search: string } }).location;
    return connectWebClient({ url: apiUrlFromLocation(loc) });
  })();
  return cached;
}
