/**
 * The page's link to the local web server, as the UI shows it: connected, or lost (the
 * server stopped) while the page waits for it to come back at the same URL, which it keeps
 * across restarts (its port and token are saved in its data folder). When the server
 * answers again the page reloads, so every lane and setting comes from the session the
 * server restored.
 */

/** Whether the server is reachable. */
export type ConnectionState = 'connected' | 'lost';

const listeners = new Set<(s: ConnectionState) => void>();

/** Be told when the connection is lost (the Electron shell never loses it). */
export function onConnectionChange(listener: (s: ConnectionState) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** First wait between tries to reach a stopped server, ms; it doubles up to RETRY_MAX_MS. */
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 3000;

/** A socket constructor: the browser's WebSocket, or a stand-in in tests. */
type SocketClass = new (url: string) => { onopen: (() => void) | null; onclose: (() => void) | null; onerror: (() => void) | null; close(): void };

/** Resolves when a WebSocket to `url` opens (the server is back and takes this page's token). */
export function waitForServer(url: string, Socket: SocketClass, wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): Promise<void> {
  return new Promise((resolve) => {
    let delay = RETRY_FIRST_MS;
    const attempt = () => {
      const ws = new Socket(url);
      ws.onerror = () => undefined;
      ws.onopen = () => {
        ws.onclose = null;
        ws.close();
        resolve();
      };
      ws.onclose = () => {
        void wait(delay).then(attempt);
        delay = Math.min(RETRY_MAX_MS, delay * 2);
      };
    };
    attempt();
  });
}

/**
 * The connection to `url` dropped: say so, wait for the server, then `reload` the page.
 * @param reload what brings the page back (location.reload in the browser)
 */
export async function connectionLost(url: string, Socket: SocketClass, reload: () => void): Promise<void> {
  for (const l of listeners) l('lost');
  await waitForServer(url, Socket);
  reload();
}
