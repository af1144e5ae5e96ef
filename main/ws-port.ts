/**
 * One browser connection of the local server as an RPC port, with flow control so that a
 * client cannot make the server hold unbounded memory for it:
 * - requests are handed to the RPC server only while fewer than `maxInFlight` of this
 *   client's calls are running and fewer than `maxBufferedBytes` of replies wait to be sent;
 *   otherwise the socket stops being read (TCP then pushes back on the client) and frames
 *   already read wait in order;
 * - events (progress, status) are dropped for a client over the bound: each one is a
 *   snapshot that the next supersedes, and a client that is not reading has no use for them.
 * Cancel messages pass at once (they end work rather than start it), except one for a request
 * still waiting, which follows that request.
 */
import type { WebSocket } from 'ws';
import { readClientMessage, type PortLike } from '../common/rpc';
import { decodeFrame, encodeFrame } from '../common/wire-codec';

export interface FlowLimits {
  /** Calls of one client running at once. */
  maxInFlight: number;
  /** Bytes queued for sending to one client above which it is not read and gets no events. */
  maxBufferedBytes: number;
}

export const DEFAULT_FLOW_LIMITS: FlowLimits = { maxInFlight: 16, maxBufferedBytes: 16 * 1024 * 1024 };

/** A flow-controlled port over `ws`; `event` sends an event frame unless the client is over its bound. */
export function wsPort(ws: WebSocket, limits: FlowLimits = DEFAULT_FLOW_LIMITS): PortLike & { event(frame: Uint8Array): void } {
  const listeners = new Set<(m: unknown) => void>();
  const waiting: unknown[] = [];
  let inFlight = 0;
  const open = () => ws.readyState === ws.OPEN;
  const congested = () => ws.bufferedAmount > limits.maxBufferedBytes;
  const deliver = (m: unknown) => {
    for (const l of listeners) l(m);
  };

  const isRequest = (m: unknown) => readClientMessage(m)?.kind === 'request';
  /** Hand waiting requests over while the client is under its bounds; stop reading it otherwise. */
  const pump = () => {
    while (waiting.length && (!isRequest(waiting[0]) || (inFlight < limits.maxInFlight && !congested()))) {
      const m = waiting.shift();
      if (isRequest(m)) inFlight++;
      deliver(m);
    }
    if (!open()) return;
    if (waiting.length || inFlight >= limits.maxInFlight || congested()) ws.pause();
    else if (ws.isPaused) ws.resume();
  };
  // Every completed write may have taken the client back under its bound.
  const send = (frame: Uint8Array) => ws.send(frame, { binary: true }, () => pump());

  ws.on('message', (data, isBinary) => {
    if (!isBinary) return;
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    let msg: unknown;
    try {
      msg = decodeFrame(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
    } catch {
      return; // A frame we cannot read carries no id to answer; drop it, keep the connection.
    }
    const m = readClientMessage(msg);
    if (m?.kind === 'cancel') {
      // A cancel for a request still waiting goes right behind it, so it stops that request.
      const queued = waiting.findIndex((w) => readClientMessage(w)?.id === m.id);
      if (queued < 0) return deliver(msg);
      waiting.splice(queued + 1, 0, msg);
      return;
    }
    if (m?.kind !== 'request') return deliver(msg);
    waiting.push(msg);
    pump();
  });

  return {
    postMessage: (m) => {
      if ((m as { kind?: unknown }).kind === 'reply') inFlight--;
      if (open()) send(encodeFrame(m));
      pump();
    },
    onMessage: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    event: (frame) => {
      if (open() && !congested()) send(frame);
    },
  };
}
