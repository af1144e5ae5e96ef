/**
 * The window's security posture, as plain functions over the small parts of Electron's
 * objects they touch, so tests can hand in mocks. `main.ts` applies them.
 */

/** The scheme and host the UI is served from (`app://gramophone/index.html`). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'gramophone';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/**
 * Size and look of the main window. Its `webPreferences` are written out literally in
 * `main.ts` (where static scanners such as electronegativity can read them) and checked
 * by the tests against what the window must have.
 */
export function mainWindowOptions() {
  return {
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: 'Gramophone',
    backgroundColor: '#15161a',
    show: false,
  };
}

/** True if `url` is a page of the app itself. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** An IPC sender frame as Electron describes it (WebFrameMain, possibly null or detached). */
export interface SenderFrame {
  url: string;
  parent?: unknown;
}

/**
 * Accept an IPC message only from the app's own top-level frame: not from a null frame (the
 * frame navigated or was destroyed), a sub-frame, or any other origin.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  if (!frame) return false;
  if (frame.parent) return false;
  return isAppUrl(frame.url);
}

type Listener = (event: { preventDefault(): void }, ...args: unknown[]) => void;

/** The parts of WebContents hardening uses. */
export interface HardenableContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview' | 'will-frame-navigate', listener: Listener): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
}

/** The parts of Session hardening uses. */
export interface HardenableSession {
  setPermissionRequestHandler(handler: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
  setPermissionCheckHandler(handler: ((wc: unknown, permission: string) => boolean) | null): void;
  setDevicePermissionHandler?(handler: ((details: unknown) => boolean) | null): void;
  on?(event: 'will-download', listener: (event: { preventDefault(): void }) => void): unknown;
}

/**
 * Deny every navigation away from the app (including the one a dropped file would cause),
 * every new window, webviews, every permission request and check, and downloads.
 * `openExternal` receives https links the user clicked, to show in their browser.
 */
export function hardenContents(contents: HardenableContents, openExternal?: (url: string) => void) {
  const stay = (event: { preventDefault(): void }, url: unknown) => {
    if (typeof url === 'string' && isAppUrl(url)) return;
    event.preventDefault();
  };
  contents.on('will-navigate', (e, url) => stay(e, typeof url === 'string' ? url : (url as { url?: string })?.url));
  contents.on('will-redirect', (e, url) => stay(e, typeof url === 'string' ? url : (url as { url?: string })?.url));
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (openExternal && /^https:\/\//i.test(url)) openExternal(url);
    return { action: 'deny' };
  });
}

/** Refuse every permission (camera, microphone, notifications, …): the app needs none. */
export function hardenSession(session: HardenableSession) {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
  session.on?.('will-download', (e) => e.preventDefault());
}
