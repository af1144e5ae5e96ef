/**
 * The Electron IPC transport over a mock ipcMain: one handler per method, the sender check,
 * and a cancel on its own channel aborting exactly the call it names (per page).
 */
import { describe, it, expect } from 'vitest';
import { IPC_CANCEL_CHANNEL, RENDERER_METHODS, ipcChannel, type RendererSpec } from '../../common/contract';
import type { ApiHandlers, CallContext } from '../../common/rpc';
import { cancelled } from '../../common/errors';
import { registerIpcHandlers, type IpcEvent, type IpcMainLike } from '../../main/ipc-bridge';
import { APP_URL } from '../../main/security';

function mockIpc() {
  const handles = new Map<string, (event: IpcEvent, ...args: unknown[]) => Promise<unknown>>();
  const ons = new Map<string, (event: IpcEvent, ...args: unknown[]) => void>();
  const ipc: IpcMainLike = {
    handle: (c, l) => void handles.set(c, l),
    removeHandler: (c) => void handles.delete(c),
    on: (c, l) => void ons.set(c, l),
    removeListener: (c) => void ons.delete(c),
  };
  return { ipc, handles, ons };
}

const page = (id: number, url = APP_URL): IpcEvent => ({ senderFrame: { url, parent: null }, sender: { id } });

/** Handlers whose listTracks waits for its signal, and counts how it ended. */
function waitingHandlers() {
  const ended: string[] = [];
  const listTracks = (_a: unknown, { signal }: CallContext) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => (ended.push('finished'), resolve({ tracks: [] })), 300);
      signal.addEventListener('abort', () => (clearTimeout(t), ended.push('aborted'), reject(cancelled('Listing'))));
    });
  return { handlers: { listTracks } as unknown as ApiHandlers<RendererSpec>, ended };
}

describe('Electron IPC bridge', () => {
  it('registers every method and the cancel channel, and removes them again', () => {
    const { ipc, handles, ons } = mockIpc();
    const off = registerIpcHandlers(ipc, waitingHandlers().handlers);
    expect([...handles.keys()].sort()).toEqual(RENDERER_METHODS.map(ipcChannel).sort());
    expect([...ons.keys()]).toEqual([IPC_CANCEL_CHANNEL]);
    off();
    expect(handles.size + ons.size).toBe(0);
  });

  it('a cancel aborts the call it names, from the page that made it, and nothing else', async () => {
    const { ipc, handles, ons } = mockIpc();
    const { handlers, ended } = waitingHandlers();
    registerIpcHandlers(ipc, handlers);
    const list = handles.get(ipcChannel('listTracks'))!;
    const a = list(page(1), {}, 7);
    const b = list(page(2), {}, 7);
    const c = list(page(1), {}, 8);
    const cancel = ons.get(IPC_CANCEL_CHANNEL)!;
    cancel(page(1, 'https://evil.example/'), 8); // not Gramophone: ignored
    cancel(page(1), 7);
    expect(await a).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(await b).toMatchObject({ ok: true });
    expect(await c).toMatchObject({ ok: true });
    expect(ended.sort()).toEqual(['aborted', 'finished', 'finished']);
    // A cancel for a call that is over, or garbage, is harmless.
    cancel(page(1), 7);
    cancel(page(1), 'x');
  });

  it('refuses a foreign page and extra arguments', async () => {
    const { ipc, handles } = mockIpc();
    registerIpcHandlers(ipc, waitingHandlers().handlers);
    const list = handles.get(ipcChannel('listTracks'))!;
    expect(await list(page(1, 'file:///tmp/x.html'), {}, 1)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await list(page(1), {}, 1, 'extra')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
