/**
 * Registers the renderer API on Electron's `ipcMain` (passed in, so tests use a mock): one
 * channel per contract method, every payload validated by `dispatch`, every sender checked.
 * Replies are result data (`{ ok, value | error }`) because `ipcMain.handle` keeps only the
 * message of a thrown error; the preload turns them back into rejections.
 */
import { dispatch, type ApiHandlers } from '../common/rpc';
import { rendererApi, RENDERER_METHODS, type RendererSpec } from '../common/contract';
import type { Result } from '../common/errors';
import { channelOf, isTrustedSender, type SenderFrame } from './security';

/** The part of an IPC invoke event used here. */
export interface InvokeEvent {
  senderFrame: SenderFrame | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** Register every method; returns a function that removes them again. */
export function registerIpcHandlers(ipc: IpcMainLike, handlers: ApiHandlers<RendererSpec, unknown>): () => void {
  for (const method of RENDERER_METHODS) {
    ipc.handle(channelOf(method), async (event, ...args): Promise<Result<unknown>> => {
      if (!isTrustedSender(event?.senderFrame)) {
        return { ok: false, error: { code: 'INVALID_INPUT', message: 'Refused a request from a page that is not Gramophone.' } };
      }
      if (args.length !== 1) {
        return { ok: false, error: { code: 'INVALID_INPUT', message: `${method} takes exactly one argument object` } };
      }
      return dispatch(rendererApi, handlers, method, args[0], { transport: 'ipc' });
    });
  }
  return () => RENDERER_METHODS.forEach((m) => ipc.removeHandler(channelOf(m)));
}
