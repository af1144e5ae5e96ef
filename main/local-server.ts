/**
 * The local server: the built renderer over HTTP and the renderer API over a WebSocket, on
 * 127.0.0.1 only, so the real UI runs in a browser on machines without Electron. The API
 * handlers are the same objects Electron registers on ipcMain; only the transport differs.
 *
 * Security: bound to loopback; the WebSocket needs the per-run random token from the URL
 * printed at start and an Origin of this server (so another web page the user has open
 * cannot drive it); the Host header must name this server (no DNS rebinding); static files
 * cannot escape the renderer folder, not even through a symlink; every page carries the
 * app's CSP.
 *
 * Robustness: nothing a client sends can end the process. Every socket has an error
 * listener from the moment it is ours (an upgrade request's socket, then the WebSocket); a
 * protocol error or an oversize frame closes that one connection (an oversize frame with
 * 1009, "message too big", which the web client puts into words); and each connection is
 * flow-controlled (`ws-port.ts`), so a client that stops reading stops being read.
 */
import http from 'node:http';
import fs from 'node:fs';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { serve, type ApiHandlers } from '../common/rpc';
import { rendererApi, type RendererSpec } from '../common/contract';
import { encodeFrame, MAX_FRAME_BYTES } from '../common/wire-codec';
import { CONTENT_SECURITY_POLICY, contentType, openAppFile } from './app-files';
import type { RendererEmit } from './shell';
import { DEFAULT_FLOW_LIMITS, wsPort, type FlowLimits } from './ws-port';

export interface LocalServerOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  /** The API handlers (the shell's). */
  handlers: ApiHandlers<RendererSpec>;
  /** Per-run secret; random when omitted. */
  token?: string;
  /** Per-connection flow control (defaults: `DEFAULT_FLOW_LIMITS`). */
  limits?: FlowLimits;
  /** Told what went wrong with a client (protocol errors, oversize frames). */
  log?: (line: string) => void;
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
    void openAppFile(opts.rendererDir, req.url ?? '/').then((found) => {
      if (!found) return refuse(404, 'Not found');
      const { file, size } = found;
      res.writeHead(200, {
        'Content-Type': contentType(file),
        'Content-Length': size,
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      });
      if (req.method === 'HEAD') return res.end();
      // The file may vanish between stat and read; end the response rather than the process.
      fs.createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const sockets = new Map<WebSocket, ReturnType<typeof wsPort>>();
  const log = opts.log ?? (() => undefined);

  server.on('upgrade', (req, socket, head) => {
    // Node hands the socket over without its own error listener: a client that resets while
    // we answer would otherwise raise an uncaught ECONNRESET.
    socket.on('error', () => socket.destroy());
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
    // ws has already answered a protocol error with a close frame (1009 for an oversize
    // frame, 1002 otherwise) when it emits it; what is left is to say so.
    ws.on('error', (e: Error & { code?: string }) => {
      const what = e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? `sent a message over the limit of ${MAX_FRAME_BYTES} bytes (too large)` : `broke the WebSocket protocol (${e.message})`;
      log(`local server: a client ${what}; its connection was closed`);
    });
    // The socket as an RPC port: frames in, frames out; the same `serve` as every transport.
    const port = wsPort(ws, opts.limits ?? DEFAULT_FLOW_LIMITS);
    sockets.set(ws, port);
    const server = serve(port, rendererApi, opts.handlers);
    ws.on('close', () => {
      sockets.delete(ws);
      server.close();
    });
  });
  wss.on('error', (e) => log(`local server: ${e.message}`));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => log(`local server: ${e.message}`));
  port = (server.address() as AddressInfo).port;

  const emit: RendererEmit = (event, data) => {
    if (!sockets.size) return;
    const frame = encodeFrame({ kind: 'event', event, data });
    for (const port of sockets.values()) port.event(frame);
  };

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    emit,
    clients: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets.keys()) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
