/**
 * The browser side of the local server: implements the contract's `GramophoneBridge` over
 * the server's WebSocket, with the same RPC messages as every other transport. Typed arrays
 * travel as binary attachments (`common/wire-codec`), so audio arrives as Float32Array.
 */
import { connect, type PortLike, type RpcConnection } from '../../common/rpc';
import { rendererApi, type GramophoneBridge, type RendererSpec } from '../../common/contract';
import { encodeFrame, decodeFrame, MAX_FRAME_BYTES } from '../../common/wire-codec';
import { GramophoneError } from '../../common/errors';

export interface WebClientOptions {
  /** ws:// URL of the API endpoint, token included. */
  url: string;
  /** Told when the connection drops (the UI says so). */
  onClose?: () => void;
}

/** The endpoint for the page this script was served from: same host, `/api`, the page's token. */
export function apiUrlFromLocation(loc: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(loc.search).get('token');
  if (!token) throw new GramophoneError('INVALID_INPUT', 'This page was opened without its access token: open the exact URL the Gramophone server printed.');
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/api?token=${encodeURIComponent(token)}`;
}

/** The renderer API over any port, as the bridge the UI holds. */
export function bridgeOver(port: PortLike): { bridge: GramophoneBridge; rpc: RpcConnection<RendererSpec> } {
  const rpc = connect(port, rendererApi);
  const bridge = new Proxy({} as GramophoneBridge, {
    get: (_t, key) => {
      if (key === 'on') return rpc.on;
      if (key === 'then') return undefined; // not a thenable: `await bridge` must not call it
      return (rpc.api as Record<string | symbol, unknown>)[key];
    },
  });
  return { bridge, rpc };
}

/** Connect; resolves once the socket is open, rejects if the server refuses it. */
export function connectWebClient(opts: WebClientOptions): Promise<GramophoneBridge> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(opts.url);
    ws.binaryType = 'arraybuffer';
    const listeners = new Set<(m: unknown) => void>();
    const port: PortLike = {
      postMessage: (m) => {
        if (ws.readyState !== WebSocket.OPEN) throw new GramophoneError('INTERNAL', 'Not connected to the Gramophone server; reload the page.');
        ws.send(encodeFrame(m));
      },
      onMessage: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    const { bridge, rpc } = bridgeOver(port);
    let opened = false;
    ws.onmessage = (e) => {
      if (!(e.data instanceof ArrayBuffer)) return;
      let msg: unknown;
      try {
        // Replies from our own server may be larger than any request (a long track's audio).
        msg = decodeFrame(new Uint8Array(e.data), Infinity);
      } catch {
        return;
      }
      for (const l of listeners) l(msg);
    };
    ws.onopen = () => {
      opened = true;
      resolve(bridge);
    };
    // A refused or dropped socket also fires `error`; `close` always follows and says it all.
    ws.onerror = () => undefined;
    ws.onclose = (e) => {
      // 1009 is the server refusing a message over its size limit (RFC 6455 §7.4.1).
      const message =
        e.code === 1009
          ? `The Gramophone server refused a message larger than ${Math.round(MAX_FRAME_BYTES / 2 ** 20)} MiB and closed the connection; reload the page.`
          : 'The connection to the Gramophone server was lost; reload the page (is the server still running?).';
      rpc.failPending({ code: 'INTERNAL', message });
      if (!opened) reject(new GramophoneError('INTERNAL', 'The Gramophone server refused the connection: open the exact URL it printed (with its token).'));
      else opts.onClose?.();
    };
  });
}
