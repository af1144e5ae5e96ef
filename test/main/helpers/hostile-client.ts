/**
 * Tools for tests that attack the local server: start it in a child process, open a raw TCP
 * connection and complete (or abuse) the WebSocket handshake by hand, build frames byte by
 * byte (including ones no real client would send), and read what comes back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { residentBytesOf } from '../../../main/node-engine-launcher';
import { createRng } from '../../../engine/random';

const FIXTURE = fileURLToPath(new URL('../../fixtures/server/serve-fixture.ts', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  token: string;
  origin: string;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  alive(): boolean;
  /** Current resident memory of the server process, in bytes (Linux /proc; 0 if gone). */
  rss(): number;
  stop(): Promise<void>;
}

/** Start the server fixture in a child process; resolves once it listens. */
export function startServerProcess(): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    const fail = () => reject(new Error(`server fixture exited before listening: ${err}`));
    child.once('exit', fail);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      child.off('exit', fail);
      const { port, token } = JSON.parse(out.slice(0, nl)) as { port: number; token: string };
      resolve({
        child,
        port,
        token,
        origin: `http://127.0.0.1:${port}`,
        stderr: () => err,
        alive: () => child.exitCode === null && child.signalCode === null,
        rss: () => residentBytesOf(child.pid) ?? 0,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 3000).unref();
          }),
      });
    });
  });
}

/** An HTTP upgrade request for the API endpoint. */
export function upgradeRequest(port: number, token: string, origin = `http://127.0.0.1:${port}`): string {
  const key = crypto.randomBytes(16).toString('base64');
  return [
    `GET /api?token=${token} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${key}`,
    'Sec-WebSocket-Version: 13',
    `Origin: ${origin}`,
    '',
    '',
  ].join('\r\n');
}

/** A raw connection that has completed the handshake (status 101). */
export interface RawSocket {
  socket: net.Socket;
  /** Every byte received after the handshake's response head. */
  received(): Buffer;
  /** Resolves when the server closes the connection. */
  closed: Promise<void>;
}

/** Connect and complete the WebSocket handshake by hand. */
export function rawConnect(port: number, token: string): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    let head = Buffer.alloc(0);
    let body = Buffer.alloc(0);
    let upgraded = false;
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('data', (d: Buffer) => {
      if (upgraded) {
        body = Buffer.concat([body, d]);
        return;
      }
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!head.subarray(0, 12).toString().includes('101')) return reject(new Error(`handshake refused: ${head.subarray(0, end).toString()}`));
      upgraded = true;
      body = head.subarray(end + 4);
      resolve({ socket, received: () => body, closed });
    });
    socket.once('close', () => {
      if (!upgraded) reject(new Error('closed during the handshake'));
    });
    socket.write(upgradeRequest(port, token));
  });
}

export interface FrameSpec {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  payload?: Uint8Array;
  /** Mask the payload (clients must); default true. */
  masked?: boolean;
  /** Declare this payload length instead of the real one (header only when larger). */
  declaredLength?: bigint;
}

/** One WebSocket frame, byte by byte (RFC 6455 §5.2), valid or not. */
export function frame(f: FrameSpec): Buffer {
  const payload = Buffer.from(f.payload ?? new Uint8Array(0));
  const len = f.declaredLength ?? BigInt(payload.length);
  const masked = f.masked ?? true;
  const head: number[] = [((f.fin ?? true) ? 0x80 : 0) | ((f.rsv ?? 0) << 4) | (f.opcode & 0x0f)];
  const m = masked ? 0x80 : 0;
  if (len < 126n) head.push(m | Number(len));
  else if (len < 65536n) head.push(m | 126, Number(len >> 8n) & 0xff, Number(len) & 0xff);
  else {
    head.push(m | 127);
    for (let i = 7; i >= 0; i--) head.push(Number((len >> BigInt(8 * i)) & 0xffn));
  }
  const key = crypto.randomBytes(4);
  const body = Buffer.from(payload);
  if (masked) for (let i = 0; i < body.length; i++) body[i] ^= key[i & 3];
  return Buffer.concat([Buffer.from(head), masked ? key : Buffer.alloc(0), body]);
}

/** The protocol errors a client holding the token can commit (the "12 of 12 kinds"). */
export const PROTOCOL_ERRORS: Record<string, Buffer> = {
  'frame over the size limit': frame({ opcode: 0x2, declaredLength: 2n ** 40n }),
  'length with its top bit set': frame({ opcode: 0x2, declaredLength: 2n ** 63n }),
  'reserved bit 1 without an extension': frame({ opcode: 0x2, rsv: 4, payload: new Uint8Array(4) }),
  'reserved bits 2 and 3': frame({ opcode: 0x2, rsv: 3, payload: new Uint8Array(4) }),
  'unmasked client frame': frame({ opcode: 0x2, masked: false, payload: new Uint8Array(4) }),
  'unknown opcode': frame({ opcode: 0x3, payload: new Uint8Array(4) }),
  'fragmented ping': frame({ opcode: 0x9, fin: false }),
  'ping over 125 bytes': frame({ opcode: 0x9, payload: new Uint8Array(200) }),
  'continuation without a start': frame({ opcode: 0x0, payload: new Uint8Array(4) }),
  'new message inside a fragmented one': Buffer.concat([frame({ opcode: 0x2, fin: false, payload: new Uint8Array(4) }), frame({ opcode: 0x2, payload: new Uint8Array(4) })]),
  'text frame of invalid UTF-8': frame({ opcode: 0x1, payload: new Uint8Array([0xff, 0xfe, 0xfd]) }),
  'close with an invalid code': frame({ opcode: 0x8, payload: new Uint8Array([0x03, 0xe7]) }),
  'close with a one-byte body': frame({ opcode: 0x8, payload: new Uint8Array([0x03]) }),
};

/** The close code in the first close frame the server sent, if any (server frames are unmasked). */
export function closeCodeOf(bytes: Buffer): { code: number; reason: string } | null {
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at] & 0x0f;
    let len = bytes[at + 1] & 0x7f;
    let p = at + 2;
    if (len === 126) {
      len = bytes.readUInt16BE(p);
      p += 2;
    } else if (len === 127) {
      len = Number(bytes.readBigUInt64BE(p));
      p += 8;
    }
    if (opcode === 0x8) return len >= 2 ? { code: bytes.readUInt16BE(p), reason: bytes.subarray(p + 2, p + len).toString() } : { code: 1005, reason: '' };
    at = p + len;
  }
  return null;
}

/** An upgrade request without the token, then a TCP reset at once (the third kill recipe). */
export function upgradeThenReset(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(upgradeRequest(port, 'wrong-token'), () => socket.resetAndDestroy());
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

/** Seeded draws (the engine's generator) so a fuzz run can be repeated exactly. */
export function seeded(seed: number) {
  const rng = createRng(seed);
  const next = () => rng.next();
  return { next, int: (n: number) => Math.floor(next() * n), bytes: (n: number) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256)) };
}
