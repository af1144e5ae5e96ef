/**
 * Registers the renderer API on Electron's `ipcMain` (passed in, so tests use a mock): one
 * channel per contract method, every payload validated by `dispatch`, every sender checked.
 * Replies are result data (`{ ok, value | error }`) because `ipcMain.handle` keeps only the
 * message of a thrown error; the preload turns them back into rejections. The preload
 * numbers its calls; a cancel on `IPC_CANCEL_CHANNEL` aborts the call it names, as the RPC's
 * cancel message does on every other transport.
 */
import { InFlightCalls, dispatch, type ApiHandlers } from '../common/rpc';
import { IPC_CANCEL_CHANNEL, ipcChannel, rendererApi, RENDERER_METHODS, type RendererSpec } from '../common/contract';
import type { Result } from '../common/errors';
import { isTrustedSender, type SenderFrame } from './security';

/** The part of an IPC event used here: who sent it. */
export interface IpcEvent {
  senderFrame: SenderFrame | null;
  /** The sending page; its calls are numbered per page. */
  sender?: { id: number };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcEvent, ...args: unknown[]) => void): void;
  removeListener(channel: string, listener: (event: IpcEvent, ...args: unknown[]) => void): void;
}

const refused: Result<never> = { ok: false, error: { code: 'INVALID_INPUT', message: 'Refused a request from a page that is not Gramophone.' } };

/** Register every method and the cancel channel; returns a function that removes them again. */
export function registerIpcHandlers(ipc: IpcMainLike, handlers: ApiHandlers<RendererSpec>): () => void {
  const inFlight = new InFlightCalls<string>();
  const key = (event: IpcEvent, call: unknown) => (Number.isSafeInteger(call) ? `${event.sender?.id ?? 0}:${String(call)}` : null);
  for (const method of RENDERER_METHODS) {
    ipc.handle(ipcChannel(method), async (event, ...args): Promise<Result<unknown>> => {
      if (!isTrustedSender(event?.senderFrame)) return refused;
      if (args.length < 1 || args.length > 2) {
        return { ok: false, error: { code: 'INVALID_INPUT', message: `${method} takes exactly one argument object` } };
      }
      const call = key(event, args[1]);
      if (!call) return dispatch(rendererApi, handlers, method, args[0]);
      try {
        return await dispatch(rendererApi, handlers, method, args[0], inFlight.start(call));
      } finally {
        inFlight.finish(call);
      }
    });
  }
  const onCancel = (event: IpcEvent, call: unknown) => {
    const k = key(event, call);
    if (k && isTrustedSender(event?.senderFrame)) inFlight.cancel(k);
  };
  ipc.on(IPC_CANCEL_CHANNEL, onCancel);
  return () => {
    RENDERER_METHODS.forEach((m) => ipc.removeHandler(ipcChannel(m)));
    ipc.removeListener(IPC_CANCEL_CHANNEL, onCancel);
  };
}
