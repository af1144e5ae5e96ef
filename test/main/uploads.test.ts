/**
 * Files from the page (issue 11, item 3): checked for size in the renderer before a byte is
 * sent, sent in bounded chunks over the real WebSocket, written once to main's data folder
 * (the track refers to that file; no copy of the bytes stays in memory) and deleted when the
 * track goes. Chunks out of order, past the announced size, for an unknown or idle upload,
 * and too many uploads at once are refused in words.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { startLocalServer, type LocalServer } from '../../main/local-server';
import { connectWebClient } from '../../renderer/api/web-client';
import { sendChunks, uploadAudio } from '../../renderer/app/upload';
import { craftZip, stored } from './helpers/zip-craft';
import { UploadStore } from '../../main/upload-store';
import { UPLOAD_CHUNK_BYTES } from '../../common/api/uploads';
import { MAX_AUDIO_BYTES } from '../../common/engine-api';
import { MAX_FRAME_BYTES } from '../../common/wire-codec';
import type { GramophoneBridge } from '../../common/contract';
import { TAG, interleave, simpleWav } from '../fixtures/wav/make-wav';
import { makeShell } from './helpers/shell-fixture';
import { errorOf } from '../helpers/error-of';

let server: LocalServer;
let fx: ReturnType<typeof makeShell>;
const uploadsDir = () => path.join(fx.root, 'data', 'uploads');
const uploaded = () => (fs.existsSync(uploadsDir()) ? fs.readdirSync(uploadsDir()) : []);

beforeAll(async () => {
  fx = makeShell();
  const rendererDir = path.join(fx.root, 'renderer');
  fs.mkdirSync(rendererDir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
  server = await startLocalServer({ port: 0, rendererDir, handlers: fx.shell.handlers });
});
afterAll(async () => {
  fx.shell.dispose();
  await server.close();
});

function client(): Promise<GramophoneBridge> {
  const origin = `http://127.0.0.1:${server.port}`;
  class OriginWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  }
  (globalThis as { WebSocket?: unknown }).WebSocket = OriginWebSocket;
  return connectWebClient({ url: `ws://127.0.0.1:${server.port}/api?token=${server.token}` });
}

/** A mono float WAV of `frames` samples (a ramp, so any misplaced chunk shows). */
const floatWav = (frames: number, rate = 8000) =>
  simpleWav({ tag: TAG.FLOAT, channels: 1, sampleRate: rate, bits: 32 }, interleave([Float32Array.from({ length: frames }, (_, i) => ((i % 1000) - 500) / 1000)], 'f32'));

describe('uploads through the local server', () => {
  it('sends a file larger than a chunk in chunks, keeps it once on disk, and plays it back exactly', async () => {
    const api = await client();
    const frames = 3 * 1024 * 1024; // 12 MiB of float samples: two chunks
    const wav = floatWav(frames);
    expect(wav.byteLength).toBeGreaterThan(UPLOAD_CHUNK_BYTES);
    const track = await uploadAudio(api, 'content', new File([wav], 'long take.wav'));
    expect(track.info).toMatchObject({ name: 'long take.wav', frames });
    // One file in the data folder, byte for byte the one sent; the track reads it by path.
    expect(uploaded()).toHaveLength(1);
    const onDisk = path.join(uploadsDir(), uploaded()[0]);
    expect(fs.readFileSync(onDisk).equals(Buffer.from(wav))).toBe(true);
    const entry = fx.shell.tracks.input(track.id, 'content');
    expect(entry.file).toEqual({ name: 'long take.wav', path: onDisk });
    const audio = await api.getAudio({ trackId: track.id });
    expect(audio.channels[0][123_456]).toBeCloseTo(((123_456 % 1000) - 500) / 1000, 6);
    // A new file on the lane replaces it, and the old file goes.
    const next = await uploadAudio(api, 'content', new File([floatWav(frames + 1)], 'next.wav'));
    expect(uploaded()).toHaveLength(1);
    expect(fs.existsSync(onDisk)).toBe(false);
    await api.removeTrack({ trackId: next.id });
    expect(uploaded()).toEqual([]);
  });

  it('a session file larger than a message opens in chunks (as the web shell sends it), and its upload goes', async () => {
    const api = await client();
    const wav = floatWav(3 * 1024 * 1024);
    const doc = { format: 'gramophone-session', version: 1, inputs: [{ id: 'c1', lane: 'content', name: 'long.wav', file: 'audio/c.wav' }], takes: [], ui: { zoom: 2 } };
    const file = craftZip([stored('session.json', new TextEncoder().encode(JSON.stringify(doc))), stored('audio/c.wav', wav)]);
    expect(file.byteLength).toBeGreaterThan(MAX_FRAME_BYTES);
    const state = await api.openUploadedSession({ uploadId: await sendChunks(api, 'big.gramophone', new File([file], 'big.gramophone')) });
    expect(state.tracks.map((t) => [t.kind, t.info.name, t.info.frames])).toEqual([['content', 'long.wav', 3 * 1024 * 1024]]);
    expect(state.ui).toEqual({ zoom: 2 });
    expect(uploaded()).toEqual([]);
    // A damaged one is refused in words, and its upload goes too.
    const cut = file.slice(0, file.byteLength - 100);
    const e = await errorOf(api.openUploadedSession({ uploadId: await sendChunks(api, 'cut.gramophone', new File([cut], 'cut.gramophone')) }));
    expect(e.message).toMatch(/"cut\.gramophone" is not a Gramophone session/);
    expect(uploaded()).toEqual([]);
    await api.newSession({});
  });

  it('a small file goes in one message, and is held as bytes', async () => {
    const api = await client();
    const track = await uploadAudio(api, 'style', new File([floatWav(800)], 'short.wav'));
    expect(track.info.frames).toBe(800);
    expect('bytes' in fx.shell.tracks.input(track.id, 'style').file).toBe(true);
  });

  it('refuses a file over the limit in the renderer, before sending anything', async () => {
    const calls: string[] = [];
    const spy = new Proxy({} as GramophoneBridge, {
      get:
        (_t, k) =>
        (...a: unknown[]) => (calls.push(String(k)), Promise.resolve(a)),
    });
    const huge = { name: 'set.wav', size: MAX_AUDIO_BYTES + 1, slice: () => ({ arrayBuffer: () => Promise.reject(new Error('must not be read')) }) };
    const e = await errorOf(uploadAudio(spy, 'content', huge));
    expect(e).toEqual({ code: 'INVALID_INPUT', message: expect.stringMatching(/"set\.wav" is 1073741825 bytes, over the 1\.0 GB limit; nothing was sent/) });
    // Enough digits that a size over the limit never reads as the limit.
    const over = { ...huge, size: Math.round(1.09 * MAX_AUDIO_BYTES) };
    expect((await errorOf(uploadAudio(spy, 'content', over))).message).toMatch(/"set\.wav" is 1\.09 GB, over the 1\.0 GB limit/);
    expect((await errorOf(uploadAudio(spy, 'content', new File([], 'empty.wav')))).message).toMatch(/empty/);
    expect(calls).toEqual([]);
  });

  it('a file that is not audio is refused at the end, and its upload deleted', async () => {
    const api = await client();
    const junk = new Uint8Array(UPLOAD_CHUNK_BYTES + 10).fill(7);
    const e = await errorOf(uploadAudio(api, 'content', new File([junk], 'junk.wav')));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/junk\.wav/);
    expect(uploaded()).toEqual([]);
  });

  it('refuses chunks out of order, past the size, and for an unknown upload; cancelling deletes', async () => {
    const api = await client();
    const { uploadId } = await api.beginUpload({ name: 'x.wav', size: 100 });
    expect((await errorOf(api.uploadChunk({ uploadId, offset: 10, bytes: new Uint8Array(10) }))).message).toMatch(/starts at byte 10, but 0 bytes have arrived/);
    expect((await errorOf(api.uploadChunk({ uploadId, offset: 0, bytes: new Uint8Array(101) }))).message).toMatch(/announced as 100 bytes/);
    await api.uploadChunk({ uploadId, offset: 0, bytes: new Uint8Array(60) });
    expect((await errorOf(api.finishUpload({ uploadId, lane: 'content' }))).message).toMatch(/incomplete: 60 of 100 bytes/);
    expect(uploaded()).toHaveLength(1);
    expect(await api.cancelUpload({ uploadId })).toEqual({ cancelled: true });
    expect(uploaded()).toEqual([]);
    expect((await errorOf(api.uploadChunk({ uploadId, offset: 60, bytes: new Uint8Array(1) }))).message).toMatch(/not under way/);
    expect((await errorOf(api.beginUpload({ name: 'big.wav', size: MAX_AUDIO_BYTES + 1 }))).message).toMatch(/larger than the 1\.0 GB limit/);
  });

  it('a message over the frame limit closes the connection with words the page can show', async () => {
    const api = await client();
    const e = await errorOf(api.importAudio({ lane: 'content', name: 'big.wav', bytes: new Uint8Array(MAX_FRAME_BYTES + 1) }));
    expect(e.message).toMatch(/refused a message larger than 9 MiB/);
    // The server is fine.
    expect((await (await client()).getAppInfo({})).shell).toBe('web');
  });
});

describe('UploadStore', () => {
  it('deletes an idle upload, bounds how many run at once, and clears what an earlier run left', async () => {
    const dir = path.join(fx.root, 'store-test');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'old.upload'), 'left by a crash');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not ours');
    const store = new UploadStore({ dir, maxActive: 2, idleMs: 100 });
    expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
    const a = await store.begin('a.wav', 10);
    await store.begin('b.wav', 10);
    await expect(store.begin('c.wav', 10)).rejects.toThrow(/2 files are already being sent/);
    await new Promise((r) => setTimeout(r, 250));
    expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
    await expect(store.chunk(a.uploadId, 0, new Uint8Array(1))).rejects.toThrow(/not under way/);
    await store.begin('c.wav', 10);
    await store.dispose();
    expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
  });
});
