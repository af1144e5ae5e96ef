/**
 * The local server: the built renderer over HTTP and the renderer API over a WebSocket, on
 * 127.0.0.1 only, so the real UI runs in a browser on machines without Electron. The API
 * handlers are the same objects Electron registers on ipcMain; only the transport differs.
 *
 * Security: bound to loopback; the WebSocket needs the per-run random token from the URL
 * printed at start and an Origin of this server (so another web page the user has open
 * cannot drive it); the Host header must name this server (no DNS rebinding); static files
 * cannot escape the renderer folder; every page carries the app's CSP.
 */
import http from 'node:http';
import fs from 'node:fs';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { serve, type ApiHandlers, type PortLike } from '../common/rpc';
import { rendererApi, type RendererSpec } from '../common/contract';
import { encodeFrame, decodeFrame, MAX_FRAME_BYTES } from '../common/wire-codec';
import { CONTENT_SECURITY_POLICY, contentType, resolveAppFile } from './app-files';
import type { RendererEmit } from './shell';

export interface LocalServerOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  /** The API handlers (the shell's). */
  handlers: ApiHandlers<RendererSpec>;
  /** Per-run secret; random when omitted. */
  token?: string;
}

export interface LocalServer {
  /** The URL to open, token included. */
  url: string;
  port: number;
  token: string;
  /** Send an event to every connected browser. */
  emit: RendererEmit;
  /** Number of open API connections. */
  clients(): number;
  close(): Promise<void>;
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

/** Start serving; resolves once listening. */
export async function startLocalServer(opts: LocalServerOptions): Promise<LocalServer> {
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  let port = 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  const server = http.createServer((req, res) => {
    const refuse = (status: number, text: string) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end(text);
    };
    if (!allowedHosts().includes(req.headers.host ?? '')) return refuse(421, 'Wrong host');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(405, 'Method not allowed');
    const file = resolveAppFile(opts.rendererDir, req.url ?? '/');
    if (!file) return refuse(400, 'Bad path');
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) return refuse(404, 'Not found');
      res.writeHead(200, {
        'Content-Type': contentType(file),
        'Content-Length': st.size,
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).pipe(res);
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const deny = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api') return deny(404, 'Not Found');
    if (!allowedHosts().includes(req.headers.host ?? '')) return deny(421, 'Misdirected Request');
    if (!allowedOrigins().includes(req.headers.origin ?? '')) return deny(403, 'Forbidden');
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) return deny(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    // The socket as an RPC port: frames in, frames out; the same `serve` as every transport.
    const listeners = new Set<(m: unknown) => void>();
    const port: PortLike = {
      postMessage: (m) => {
        if (ws.readyState === ws.OPEN) ws.send(encodeFrame(m), { binary: true });
      },
      onMessage: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    const server = serve(port, rendererApi, opts.handlers);
    ws.on('close', () => {
      sockets.delete(ws);
      server.close();
    });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      let msg: unknown;
      try {
        msg = decodeFrame(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
      } catch {
        return; // A frame we cannot read carries no id to answer; drop it, keep the connection.
      }
      for (const l of listeners) l(msg);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  const emit: RendererEmit = (event, data) => {
    if (!sockets.size) return;
    const frame = encodeFrame({ kind: 'event', event, data });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame, { binary: true });
  };

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    emit,
    clients: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
