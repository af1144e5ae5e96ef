/**
 * Builds the preload's bridge object from the contract's method and event names over a
 * minimal IPC interface, so tests can check it without Electron.
 */
import type { GramophoneBridge } from '../common/contract';
import { IPC_PREFIX } from '../common/contract';

type IpcListener = (event: unknown, payload: unknown) => void;

/** The three ipcRenderer calls the bridge makes. */
export interface RendererIpc {
  invoke(channel: string, arg: unknown): Promise<unknown>;
  on(channel: string, listener: IpcListener): void;
  off(channel: string, listener: IpcListener): void;
}

/** A bridge with one method per contract method and `on` for the contract's events. */
export function buildBridge(ipc: RendererIpc, methods: readonly string[], events: readonly string[], eventChannel: string): GramophoneBridge {
  const api: Record<string, unknown> = {};
  for (const method of methods) {
    const channel = `${IPC_PREFIX}${method}`;
    api[method] = async (args: unknown) => {
      const r = (await ipc.invoke(channel, args)) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
      if (r && r.ok === true) return r.value;
      const error = r?.error ?? { code: 'INTERNAL', message: 'No reply from the main process' };
      throw { code: String(error.code), message: String(error.message) };
    };
  }
  const known = new Set(events);
  api.on = (event: string, listener: (data: unknown) => void) => {
    if (!known.has(event) || typeof listener !== 'function') throw new TypeError(`Unknown event "${String(event)}"`);
    // The IPC event object (with its sender) stays here; the page gets only the data.
    const wrapped: IpcListener = (_e, payload) => {
      const p = payload as { event?: unknown; data?: unknown } | null;
      if (p && p.event === event) listener(p.data);
    };
    ipc.on(eventChannel, wrapped);
    return () => ipc.off(eventChannel, wrapped);
  };
  return Object.freeze(api) as GramophoneBridge;
}
