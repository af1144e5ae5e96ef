/**
 * Hostile session files against a running web server, as a browser would send them: starts
 * `node <server> --port 0 --data-dir <fresh folder>`, opens each file through one client while
 * a second client calls `getAppInfo` every 20 ms, and reports the server's peak memory (VmHWM),
 * the longest answer the second client waited for, the outcome, and the data folder's size.
 * Also starts a server on a session.json nested 100,000 deep and reports how start-up ends.
 *
 * Usage: npx tsx bench/session-files.ts [dist/main/web-server.js]
 * (any build of the server: the one before a change and the one after, side by side).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import WebSocket from 'ws';
import { connectWebClient } from '../renderer/api/web-client';
import type { GramophoneBridge } from '../common/contract';
import { BUILTIN_PRESETS } from '../common/preset';
import { takeMetrics } from '../test/fixtures/metrics';

const entry = path.resolve(process.argv[2] ?? 'dist/main/web-server.js');

/** An archive from entries given as (name, stored bytes, method, declared size, CRC-32). */
function zip(entries: { name: string; data: Uint8Array; method: number; size: number; crc: number }[]): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(e.method, 8);
    head.writeUInt32LE(e.crc >>> 0, 14);
    head.writeUInt32LE(e.data.byteLength, 18);
    head.writeUInt32LE(e.size >>> 0, 22);
    head.writeUInt16LE(name.byteLength, 26);
    parts.push(head, name, Buffer.from(e.data));
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(e.method, 10);
    c.writeUInt32LE(e.crc >>> 0, 16);
    c.writeUInt32LE(e.data.byteLength, 20);
    c.writeUInt32LE(e.size >>> 0, 24);
    c.writeUInt16LE(name.byteLength, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.byteLength + e.data.byteLength;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.byteLength, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, cd, end]));
}

const stored = (name: string, data: Uint8Array) => ({ name, data, method: 0, size: data.byteLength, crc: zlib.crc32(data) });

/** `mib` MiB of zeros, deflated without holding them: one flushed MiB repeated, then a final block. */
function zeros(name: string, mib: number) {
  const MiB = new Uint8Array(1 << 20);
  const piece = zlib.deflateRawSync(MiB, { finishFlush: zlib.constants.Z_FULL_FLUSH });
  const data = new Uint8Array(piece.byteLength * mib + 2);
  for (let i = 0; i < mib; i++) data.set(piece, i * piece.byteLength);
  data.set([0x03, 0x00], piece.byteLength * mib);
  let crc = 0;
  for (let i = 0; i < mib; i++) crc = zlib.crc32(MiB, crc);
  return { name, data, method: 8, size: mib << 20, crc };
}

/** A 16-bit mono WAV of a 440 Hz tone, `seconds` long at 44.1 kHz. */
function wav(seconds: number): Uint8Array {
  const n = Math.round(seconds * 44100);
  const b = Buffer.alloc(44 + 2 * n);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + 2 * n, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(44100, 24);
  b.writeUInt32LE(88200, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 44100)), 44 + 2 * i);
  return new Uint8Array(b);
}

function doc(takes: number) {
  return new TextEncoder().encode(
    JSON.stringify({
      format: 'gramophone-session',
      version: 1,
      inputs: [{ id: 'c1', lane: 'content', name: 'c.wav', file: 'audio/c.wav' }],
      takes: Array.from({ length: takes }, (_, i) => ({
        id: `t${i}`,
        name: `Take ${i + 1}`,
        file: 'audio/t.wav',
        jobId: `j${i}`,
        preset: BUILTIN_PRESETS[0],
        metrics: takeMetrics(),
        warnings: [],
        contentName: 'c.wav',
        styleName: 's.wav',
        contentId: 'c1',
        exported: false,
      })),
      ui: null,
    }),
  );
}

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output: () => string;
}

function startServer(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, [entry, '--port', '0', '--data-dir', dataDir, '--export-dir', path.join(dataDir, 'exports')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Gramophone UI: (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1], exited, output: () => out });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited (${code}) before serving: ${out.slice(-400)}`)));
  });
}

function client(url: string): Promise<GramophoneBridge> {
  const u = new URL(url);
  class OriginWebSocket extends WebSocket {
    constructor(target: string) {
      super(target, { origin: u.origin, maxPayload: 2 ** 31 });
    }
  }
  (globalThis as { WebSocket?: unknown }).WebSocket = OriginWebSocket;
  return connectWebClient({ url: `ws://${u.host}/api?token=${u.searchParams.get('token')}` });
}

const peakMiB = (pid: number) => {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return NaN;
  }
};
const duMiB = (dir: string) => Number(spawnSync('du', ['-sk', dir], { encoding: 'utf8' }).stdout.split('\t')[0]) / 1024;

async function run(label: string, file: Uint8Array) {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-bench-'));
  const server = await startServer(data);
  const [a, b] = [await client(server.url), await client(server.url)];
  await a.getSession({});
  // The first getAppInfo waits for the engine to start: measured stalls are the server's own.
  await b.getAppInfo({});
  const before = peakMiB(server.child.pid!);
  let longest = 0;
  let stop = false;
  const pinger = (async () => {
    while (!stop) {
      const t0 = performance.now();
      const alive = await Promise.race([b.getAppInfo({}).then(() => true), server.exited.then(() => false)]);
      longest = Math.max(longest, performance.now() - t0);
      if (!alive) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const t0 = performance.now();
  const outcome = await Promise.race([
    a.importSession({ name: 'x.gramophone', bytes: file }).then(
      (s) => `opened: ${s.tracks.length} tracks`,
      (e: unknown) => `refused: ${(e as Error).message.slice(0, 140)}`,
    ),
    server.exited.then((code) => `server exited (${code})`),
  ]);
  const seconds = (performance.now() - t0) / 1000;
  stop = true;
  await pinger;
  const peak = peakMiB(server.child.pid!);
  await new Promise((r) => setTimeout(r, 1500)); // the save after an open
  const folder = duMiB(path.join(data, 'session'));
  server.child.kill('SIGTERM');
  await server.exited;
  console.log(
    `${label}: ${(file.byteLength / 2 ** 20).toFixed(2)} MB file → ${outcome} in ${seconds.toFixed(2)} s; server peak ${peak.toFixed(0)} MiB (${before.toFixed(0)} before); longest wait of another client ${longest.toFixed(0)} ms; session folder ${folder.toFixed(1)} MiB`,
  );
  fs.rmSync(data, { recursive: true, force: true });
}

async function deepStart() {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-bench-'));
  fs.mkdirSync(path.join(data, 'session', 'audio'), { recursive: true });
  const deep = `{"format":"gramophone-session","version":1,"inputs":[],"takes":[],"ui":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
  fs.writeFileSync(path.join(data, 'session', 'session.json'), deep);
  for (let i = 0; i < 2; i++) {
    const outcome = await startServer(data).then(
      async (s) => {
        const r = await Promise.race([
          client(s.url).then((c) => c.getSession({}).then((x) => `serves; notice: ${x.notices[0]?.slice(0, 150) ?? 'none'}`)),
          s.exited.then((code) => `server exited with code ${code}: ${s.output().trim().split('\n').pop()?.slice(0, 160)}`),
        ]).catch(async () => `server exited with code ${await s.exited}: ${s.output().trim().split('\n').pop()?.slice(0, 160)}`);
        s.child.kill('SIGTERM');
        await s.exited;
        return r;
      },
      (e: unknown) => (e as Error).message.slice(0, 200),
    );
    console.log(`session.json nested 100,000 deep, start ${i + 1}: ${outcome}`);
  }
  console.log(`  files left: ${fs.readdirSync(path.join(data, 'session')).join(', ')}`);
  fs.rmSync(data, { recursive: true, force: true });
}

const content = wav(2);
const session = (extra: ReturnType<typeof stored>[], takes = 0) => zip([stored('session.json', doc(takes)), stored('audio/c.wav', content), ...extra]);
console.log(`server: ${entry}`);
// ONLY=deep runs the start-up case alone.
if (process.env.ONLY !== 'deep') {
  await run('3 unreferenced 1 GiB entries of zeros', session([zeros('audio/a.wav', 1024), zeros('audio/b.wav', 1024), zeros('audio/d.wav', 1024)]));
  await run('a referenced 1 GiB entry of zeros', session([zeros('audio/t.wav', 1024)], 1));
  await run('1,000 takes of one 2 s WAV', session([stored('audio/t.wav', wav(2))], 1000));
}
await deepStart();
process.exit(0);
