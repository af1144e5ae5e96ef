/** The preload's bridge over a fake ipcRenderer, and the page-side wrapper that restores error codes. */
import { describe, it, expect, vi } from 'vitest';
import { buildBridge, type RendererIpc } from '../../preload/bridge';
import { IPC_EVENT_CHANNEL, RENDERER_EVENTS, RENDERER_METHODS } from '../../common/contract';
import { wrapPreloadBridge } from '../../renderer/api/get-api';
import { GramophoneError } from '../../common/errors';

function fakeIpc() {
  const listeners = new Map<string, Set<(e: unknown, p: unknown) => void>>();
  const invoke = vi.fn(async (channel: string, arg: unknown) => {
    if (channel === 'gramophone:removeTrack') return { ok: false, error: { code: 'INVALID_INPUT', message: 'no such track' } };
    return { ok: true, value: { channel, arg } };
  });
  const ipc: RendererIpc = {
    invoke,
    on: (c, l) => void (listeners.get(c) ?? listeners.set(c, new Set()).get(c)!).add(l),
    off: (c, l) => void listeners.get(c)?.delete(l),
  };
  const fire = (payload: unknown) => listeners.get(IPC_EVENT_CHANNEL)?.forEach((l) => l({ sender: 'SECRET-IPC-EVENT' }, payload));
  return { ipc, invoke, fire, listeners };
}

describe('preload bridge', () => {
  it('exposes exactly the contract methods plus on(), one channel per method', async () => {
    const { ipc, invoke } = fakeIpc();
    const bridge = buildBridge(ipc, RENDERER_METHODS, RENDERER_EVENTS, IPC_EVENT_CHANNEL);
    expect(Object.keys(bridge).sort()).toEqual([...RENDERER_METHODS, 'on'].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
    const r = await bridge.getAppInfo({});
    expect(r).toEqual({ channel: 'gramophone:getAppInfo', arg: {} });
    expect(invoke).toHaveBeenCalledTimes(1);
  });

  it('rejects with plain error data, which the page wrapper turns into GramophoneError', async () => {
    const { ipc } = fakeIpc();
    const bridge = buildBridge(ipc, RENDERER_METHODS, RENDERER_EVENTS, IPC_EVENT_CHANNEL);
    await expect(bridge.removeTrack({ trackId: 'x' })).rejects.toEqual({ code: 'INVALID_INPUT', message: 'no such track' });
    const page = wrapPreloadBridge(bridge);
    const e = await page.removeTrack({ trackId: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GramophoneError);
    expect((e as GramophoneError).code).toBe('INVALID_INPUT');
  });

  it('delivers event data only (never the IPC event), filters by name, and unsubscribes', () => {
    const { ipc, fire, listeners } = fakeIpc();
    const bridge = buildBridge(ipc, RENDERER_METHODS, RENDERER_EVENTS, IPC_EVENT_CHANNEL);
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
