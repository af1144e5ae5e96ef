import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import WebSocket from 'ws';
import { startLocalServer, type LocalServer } from '../../main/local-server';
import { connectWebClient } from '../../renderer/api/web-client';
import { encodeFrame, decodeFrame } from '../../common/wire-codec';
import type { GramophoneBridge } from '../../common/contract';
import { BUILTIN_PRESETS } from '../../common/preset';
import { makeShell, wav16 } from './helpers/shell-fixture';

let server: LocalServer;
let fx: ReturnType<typeof makeShell>;
let origin: string;

beforeAll(async () => {
  fx = makeShell();
  const rendererDir = path.join(fx.root, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Gramophone</title><div id="root"></div>');
  fs.writeFileSync(path.join(fx.root, 'secret.txt'), 'do not serve');
  server = await startLocalServer({ port: 0, rendererDir, handlers: fx.shell.handlers });
  fx.shell.emitTo(server.emit);
  origin = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  fx.shell.dispose();
  await server.close();
});

/** The real browser client, on Node's `ws` (Node 20 has no global WebSocket) with an Origin. */
function client(token = server.token, from = origin): Promise<GramophoneBridge> {
  class OriginWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, { origin: from });
    }
  }
  (globalThis as { WebSocket?: unknown }).WebSocket = OriginWebSocket;
  return connectWebClient({ url: `ws://127.0.0.1:${server.port}/api?token=${token}` });
}

/** Send one raw frame and wait for the reply with `id` (or time out). */
function raw(frames: (Uint8Array | string)[], id: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, { origin });
    const t = setTimeout(() => reject(new Error('no reply')), 10_000);
    ws.on('open', () => frames.forEach((f) => ws.send(f)));
    ws.on('message', (d) => {
      const m = decodeFrame(new Uint8Array(d as Buffer)) as { id?: number };
      if (m.id === id) {
        clearTimeout(t);
        ws.close();
        resolve(m);
      }
    });
  });
}

describe('local server', () => {
  it('prints a loopback URL with a long random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('serves index.html with the CSP, and nothing outside the renderer folder', async () => {
    const res = await fetch(`${origin}/?token=${server.token}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="root">');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const r = await fetch(`${origin}${p}`);
      expect(r.status, p).not.toBe(200);
    }
    // A page on another host name resolving to 127.0.0.1 (DNS rebinding) is refused.
    const status = await new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/', headers: { host: 'evil.example' } }, (r) => resolve(r.statusCode ?? 0)).on('error', reject);
    });
    expect(status).toBe(421);
  });

  it('answers API calls over the WebSocket with a valid token, typed arrays intact', async () => {
    const api = await client();
    const info = await api.getAppInfo({});
    expect(info.shell).toBe('web');
    const samples = Float32Array.from({ length: 800 }, (_, i) => Math.sin(i / 5) * 0.5);
    const track = await api.importAudio({ lane: 'content', name: 'sine.wav', bytes: wav16(samples) });
    expect(track.kind).toBe('content');
    const audio = await api.getAudio({ trackId: track.id });
    expect(audio.channels[0]).toBeInstanceOf(Float32Array);
    expect(audio.channels[0].length).toBe(800);
    expect(Math.abs(audio.channels[0][10] - samples[10])).toBeLessThan(1e-4);
    const statuses: string[] = [];
    const off = api.on('engineStatus', (s) => statuses.push(s.state));
    off();
  });

  it('cancels a render over the WebSocket by aborting the call', async () => {
    const api = await client();
    const input = { name: 'c.wav', bytes: wav16(new Float32Array(800)) };
    const c = await api.importAudio({ lane: 'content', ...input });
    const st = await api.importAudio({ lane: 'style', ...input });
    const preset = { ...BUILTIN_PRESETS[0], optimizer: { ...BUILTIN_PRESETS[0].optimizer, iterations: 10_000 } };
    const progressed = new Promise<void>((resolve) => {
      const off = api.on('renderProgress', () => (off(), resolve()));
    });
    const abort = new AbortController();
    const render = api.render({ jobId: 'ws-cancel', contentId: c.id, styleId: st.id, preset }, { signal: abort.signal });
    await progressed;
    abort.abort();
    await expect(render).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(fx.shell.tracks.takes()).toEqual([]);
  });

  it('refuses a bad token and a foreign Origin', async () => {
    await expect(client('not-the-token')).rejects.toThrow(/refused/);
    await expect(client(server.token, 'http://evil.example')).rejects.toThrow(/refused/);
  });

  it('refuses malformed payloads with INVALID_INPUT and keeps serving', async () => {
    const api = await client();
    const bad: [string, unknown][] = [
      ['importAudio', { lane: 'content', name: 'x.wav', bytes: 'not bytes' }],
      ['getSpectrogram', { trackId: 'a', nFft: NaN, hop: 128 }],
      ['removeTrack', { trackId: 'x'.repeat(100_000) }],
      ['savePreset', JSON.parse('{"__proto__": {"polluted": true}, "preset": {}}')],
      ['nosuchMethod', {}],
    ];
    for (const [method, args] of bad) {
      const reply = (await raw([encodeFrame({ kind: 'request', id: 7, method, args })], 7)) as { ok: boolean; error: { code: string } };
      expect(reply.ok, method).toBe(false);
      expect(reply.error.code, method).toBe('INVALID_INPUT');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Garbage frames are dropped without killing the connection or the server.
    const garbage = [new Uint8Array([1, 2]), new Uint8Array(16).fill(255), 'text frame', encodeFrame({ kind: 'request', id: 8, method: 'getAppInfo', args: {} })];
    const reply = (await raw(garbage, 8)) as { ok: boolean };
    expect(reply.ok).toBe(true);
    expect((await api.getAppInfo({})).version).toMatch(/\d+\.\d+\.\d+/);
  });
});
