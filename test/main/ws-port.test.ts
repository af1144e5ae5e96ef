/**
 * Flow control of one browser connection (main/ws-port.ts), on a stand-in socket: requests
 * wait (and the socket is not read) while too many run or too many reply bytes are unsent,
 * cancels pass at once, and events are dropped for a client that is not reading.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { wsPort } from '../../main/ws-port';
import { encodeFrame, decodeFrame } from '../../common/wire-codec';

/** The parts of a ws WebSocket the port uses. */
function fakeSocket() {
  let onMessage: (data: Buffer, isBinary: boolean) => void = () => undefined;
  const sent: unknown[] = [];
  const callbacks: (() => void)[] = [];
  const ws = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    isPaused: false,
    pause() {
      ws.isPaused = true;
    },
    resume() {
      ws.isPaused = false;
    },
    on(event: string, l: (data: Buffer, isBinary: boolean) => void) {
      if (event === 'message') onMessage = l;
    },
    send(frame: Uint8Array, _o: unknown, cb: () => void) {
      sent.push(decodeFrame(frame));
      callbacks.push(cb);
    },
  };
  const receive = (m: unknown) => onMessage(Buffer.from(encodeFrame(m)), true);
  const flush = () => callbacks.splice(0).forEach((cb) => cb());
  return { ws, socket: ws as unknown as WebSocket, sent, receive, flush };
}

describe('wsPort', () => {
  it('holds requests beyond the in-flight limit, pausing the socket, and hands them over in order', () => {
    const f = fakeSocket();
    const port = wsPort(f.socket, { maxInFlight: 2, maxBufferedBytes: 1000 });
    const got: number[] = [];
    port.onMessage((m) => got.push((m as { id: number }).id));
    for (let id = 1; id <= 5; id++) f.receive({ kind: 'request', id, method: 'x', args: {} });
    expect(got).toEqual([1, 2]);
    expect(f.ws.isPaused).toBe(true);
    // A cancel is not work: it passes at once; one for a waiting request follows that request.
    const kinds: string[] = [];
    port.onMessage((m) => kinds.push(`${(m as { kind: string }).kind} ${(m as { id: number }).id}`));
    f.receive({ kind: 'cancel', id: 1 });
    f.receive({ kind: 'cancel', id: 4 });
    expect(kinds).toEqual(['cancel 1']);
    port.postMessage({ kind: 'reply', id: 1, ok: true, value: null });
    expect(got).toEqual([1, 2, 1, 3]);
    port.postMessage({ kind: 'reply', id: 2, ok: true, value: null });
    expect(kinds).toEqual(['cancel 1', 'request 3', 'request 4', 'cancel 4']);
    port.postMessage({ kind: 'reply', id: 3, ok: true, value: null });
    expect(got).toEqual([1, 2, 1, 3, 4, 4, 5]);
    port.postMessage({ kind: 'reply', id: 4, ok: true, value: null });
    port.postMessage({ kind: 'reply', id: 5, ok: true, value: null });
    expect(f.ws.isPaused).toBe(false);
  });

  it('stops handing over requests while replies are unsent, and drops events for that client', () => {
    const f = fakeSocket();
    const port = wsPort(f.socket, { maxInFlight: 10, maxBufferedBytes: 1000 });
    const got: number[] = [];
    port.onMessage((m) => got.push((m as { id: number }).id));
    f.ws.bufferedAmount = 5000;
    f.receive({ kind: 'request', id: 1, method: 'x', args: {} });
    expect(got).toEqual([]);
    expect(f.ws.isPaused).toBe(true);
    port.event(encodeFrame({ kind: 'event', event: 'renderProgress', data: {} }));
    expect(f.sent).toEqual([]);
    // The client reads: the next completed write lets the request through and reading resumes.
    f.ws.bufferedAmount = 0;
    port.event(encodeFrame({ kind: 'event', event: 'engineStatus', data: {} }));
    f.flush();
    expect(got).toEqual([1]);
    expect(f.sent).toHaveLength(1);
    port.postMessage({ kind: 'reply', id: 1, ok: true, value: null });
    expect(f.ws.isPaused).toBe(false);
  });
});
