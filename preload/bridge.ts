/**
 * Builds the preload's bridge object from the contract's method and event names over a
 * minimal IPC interface, so tests can check it without Electron.
 */
import { IPC_CANCEL_CHANNEL, IPC_EVENT_CHANNEL, ipcChannel, RENDERER_EVENTS, RENDERER_METHODS, type PreloadBridge } from '../common/contract';

type IpcListener = (event: unknown, payload: unknown) => void;

/** The ipcRenderer calls the bridge makes. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: IpcListener): void;
  off(channel: string, listener: IpcListener): void;
}

/**
 * A bridge with one method per contract method and `on` for the contract's events. Each call
 * is numbered; `onCancel`, when given, receives a function that cancels that call.
 */
export function buildBridge(ipc: RendererIpc): PreloadBridge {
  const api: Record<string, unknown> = {};
  let calls = 0;
  for (const method of RENDERER_METHODS) {
    const channel = ipcChannel(method);
    api[method] = async (args: unknown, onCancel?: (cancel: () => void) => void) => {
      const call = ++calls;
      const reply = ipc.invoke(channel, args, call);
      // After the invoke is sent, so main never sees a cancel before its call.
      if (typeof onCancel === 'function') onCancel(() => ipc.send(IPC_CANCEL_CHANNEL, call));
      const r = (await reply) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
      if (r && r.ok === true) return r.value;
      const error = r?.error ?? { code: 'INTERNAL', message: 'No reply from the main process' };
      throw { code: String(error.code), message: String(error.message) };
    };
  }
  const known = new Set<string>(RENDERER_EVENTS);
  api.on = (event: string, listener: (data: unknown) => void) => {
    if (!known.has(event) || typeof listener !== 'function') throw new TypeError(`Unknown event "${String(event)}"`);
    // The IPC event object (with its sender) stays here; the page gets only the data.
    const wrapped: IpcListener = (_e, payload) => {
      const p = payload as { event?: unknown; data?: unknown } | null;
      if (p && p.event === event) listener(p.data);
    };
    ipc.on(IPC_EVENT_CHANNEL, wrapped);
    return () => ipc.off(IPC_EVENT_CHANNEL, wrapped);
  };
  return Object.freeze(api) as PreloadBridge;
}
