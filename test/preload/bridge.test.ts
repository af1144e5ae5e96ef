/** The preload's bridge over a fake ipcRenderer, and the page-side wrapper that restores error codes and carries cancels. */
import { describe, it, expect, vi } from 'vitest';
import { buildBridge, type RendererIpc } from '../../preload/bridge';
import { IPC_CANCEL_CHANNEL, IPC_EVENT_CHANNEL, RENDERER_METHODS } from '../../common/contract';
import { wrapPreloadBridge } from '../../renderer/api/get-api';
import { GramophoneError } from '../../common/errors';

function fakeIpc() {
  const listeners = new Map<string, Set<(e: unknown, p: unknown) => void>>();
  const sent: unknown[][] = [];
  const replies = new Map<number, (r: unknown) => void>();
  const invoke = vi.fn(async (channel: string, arg: unknown, call: unknown) => {
    if (channel === 'gramophone:removeTrack') return { ok: false, error: { code: 'INVALID_INPUT', message: 'no such track' } };
    // A render stays pending until the test answers it.
    if (channel === 'gramophone:render') return new Promise((resolve) => replies.set(call as number, resolve));
    return { ok: true, value: { channel, arg } };
  });
  const ipc: RendererIpc = {
    invoke: invoke as RendererIpc['invoke'],
    send: (...args: unknown[]) => void sent.push(args),
    on: (c, l) => void (listeners.get(c) ?? listeners.set(c, new Set()).get(c)!).add(l),
    off: (c, l) => void listeners.get(c)?.delete(l),
  };
  const fire = (payload: unknown) => listeners.get(IPC_EVENT_CHANNEL)?.forEach((l) => l({ sender: 'SECRET-IPC-EVENT' }, payload));
  return { ipc, invoke, fire, listeners, sent, replies };
}

describe('preload bridge', () => {
  it('exposes exactly the contract methods plus on(), one channel per method, numbering calls', async () => {
    const { ipc, invoke } = fakeIpc();
    const bridge = buildBridge(ipc);
    expect(Object.keys(bridge).sort()).toEqual([...RENDERER_METHODS, 'on'].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
    const r = await bridge.getAppInfo({});
    expect(r).toEqual({ channel: 'gramophone:getAppInfo', arg: {} });
    await bridge.listPresets({});
    expect(invoke.mock.calls.map((c) => c[2])).toEqual([1, 2]);
  });

  it('rejects with plain error data, which the page wrapper turns into GramophoneError', async () => {
    const { ipc } = fakeIpc();
    const bridge = buildBridge(ipc);
    await expect(bridge.removeTrack({ trackId: 'x' })).rejects.toEqual({ code: 'INVALID_INPUT', message: 'no such track' });
    const page = wrapPreloadBridge(bridge);
    const e = await page.removeTrack({ trackId: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GramophoneError);
    expect((e as GramophoneError).code).toBe('INVALID_INPUT');
  });

  it("turns the page's AbortSignal into a cancel for that call, sent after the call itself", async () => {
    const { ipc, sent, replies, invoke } = fakeIpc();
    const page = wrapPreloadBridge(buildBridge(ipc));
    const abort = new AbortController();
    const render = page.render({} as never, { signal: abort.signal });
    await Promise.resolve();
    expect(sent).toEqual([]);
    abort.abort();
    const call = invoke.mock.calls[0][2] as number;
    expect(sent).toEqual([[IPC_CANCEL_CHANNEL, call]]);
    // Main answers the cancelled call with CANCELLED.
    replies.get(call)!({ ok: false, error: { code: 'CANCELLED', message: 'Render cancelled' } });
    await expect(render).rejects.toMatchObject({ code: 'CANCELLED' });
    // A signal aborted before the call: nothing is sent at all.
    await expect(page.listTracks({}, { signal: abort.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(invoke).toHaveBeenCalledTimes(1);
  });

  it('delivers event data only (never the IPC event), filters by name, and unsubscribes', () => {
    const { ipc, fire, listeners } = fakeIpc();
    const bridge = buildBridge(ipc);
    const got: unknown[] = [];
    const off = bridge.on('engineStatus', (d) => got.push(d));
    fire({ event: 'engineStatus', data: { state: 'ready' } });
    fire({ event: 'renderProgress', data: { jobId: 'x' } });
    expect(got).toEqual([{ state: 'ready' }]);
    off();
    fire({ event: 'engineStatus', data: { state: 'busy' } });
    expect(got).toHaveLength(1);
    expect(listeners.get(IPC_EVENT_CHANNEL)?.size).toBe(0);
    expect(() => bridge.on('nope' as never, () => undefined)).toThrow(/Unknown event/);
  });
});
