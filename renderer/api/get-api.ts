/**
 * The renderer's way to the shell: the preload's `window.gramophone` inside Electron, else
 * the local server's WebSocket client. Either way the UI gets a `GramophoneBridge` whose
 * calls take `{ signal }` and reject with `GramophoneError` (code + message).
 */
import { RENDERER_METHODS, type GramophoneBridge, type PreloadBridge } from '../../common/contract';
import type { CallOptions } from '../../common/rpc';
import { cancelled, fromErrorData, toErrorData } from '../../common/errors';
import { apiUrlFromLocation, connectWebClient } from './web-client';
import { connectionLost } from './connection';

/**
 * The page's view of the preload. Errors cannot carry their code through Electron's
 * contextBridge (only the message survives), so the preload rejects with plain
 * `{ code, message }` data, which becomes GramophoneError here; and an AbortSignal cannot
 * cross it either, so a call's signal is turned into the preload's `onCancel` callback.
 */
export function wrapPreloadBridge(raw: PreloadBridge): GramophoneBridge {
  const api: Record<string, unknown> = { on: raw.on.bind(raw) };
  for (const method of RENDERER_METHODS) {
    const call = raw[method] as (a: unknown, onCancel?: (cancel: () => void) => void) => Promise<unknown>;
    api[method] = async (args: unknown, options?: CallOptions) => {
      const signal = options?.signal;
      if (signal?.aborted) throw cancelled('Request');
      const onCancel = signal ? (cancel: () => void) => signal.addEventListener('abort', () => cancel(), { once: true }) : undefined;
      try {
        return await call(args, onCancel);
      } catch (e) {
        throw fromErrorData(toErrorData(e));
      }
    };
  }
  return api as GramophoneBridge;
}

let cached: Promise<GramophoneBridge> | null = null;

/** The shell API for this page (connects once; later calls share the connection). */
export function getApi(): Promise<GramophoneBridge> {
  cached ??= (async () => {
    const preload = (globalThis as { gramophone?: PreloadBridge }).gramophone;
    if (preload) return wrapPreloadBridge(preload);
    // Read through globalThis so this module also type-checks (and is testable) under Node.
    const g = globalThis as unknown as { location: { protocol: string; host: string; search: string; reload(): void }; WebSocket: Parameters<typeof connectionLost>[1] };
    const url = apiUrlFromLocation(g.location);
    // A stopped server is shown, and the page reloads when it is back at the same URL.
    return connectWebClient({ url, onClose: () => void connectionLost(url, g.WebSocket, () => g.location.reload()) });
  })();
  return cached;
}
