/**
 * The Electron entry (main/main.ts) run against a mocked `electron`: the window it opens, the
 * restrictions it puts on every web contents and the session, the IPC handlers it registers
 * and their sender checks, the app:// protocol and the menu.
 */
import { describe, it, expect, vi, beforeAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { IPC_CANCEL_CHANNEL, RENDERER_METHODS, ipcChannel as channelOf } from '../../common/contract';
import { APP_URL } from '../../main/security';

/** The web preferences the window must have, whatever else it sets. */
const REQUIRED_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
} as const;

const h = vi.hoisted(() => {
  const state = {
    userData: '',
    windows: [] as { options: Record<string, unknown>; loaded: string[] }[],
    appHandlers: new Map<string, (...a: unknown[]) => void>(),
    ipc: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
    ipcOn: new Map<string, (event: unknown, ...args: unknown[]) => void>(),
    permissionRequest: null as null | ((wc: unknown, p: string, cb: (g: boolean) => void) => void),
    permissionCheck: null as null | ((wc: unknown, p: string) => boolean),
    protocolHandler: null as null | ((req: { url: string }) => Promise<Response>),
    privileged: [] as unknown[],
    menu: null as unknown,
    sandboxEnabled: false,
    ready: null as null | (() => void),
  };
  return { state };
});

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const s = h.state;
  class BrowserWindow extends EventEmitter {
    webContents = { send: vi.fn(), on: vi.fn(), setWindowOpenHandler: vi.fn() };
    loaded: string[] = [];
    constructor(options: Record<string, unknown>) {
      super();
      s.windows.push({ options, loaded: this.loaded });
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    show() {}
  }
  const readyPromise = new Promise<void>((r) => (s.ready = r));
  return {
    app: {
      enableSandbox: () => (s.sandboxEnabled = true),
      requestSingleInstanceLock: () => true,
      quit: vi.fn(),
      on: (e: string, l: (...a: unknown[]) => void) => s.appHandlers.set(e, l),
      whenReady: () => readyPromise,
      getPath: () => s.userData,
      isPackaged: false,
      getVersion: () => '0.1.0',
      // The engine host samples its process's memory now and then (no processes here).
      getAppMetrics: () => [],
    },
    BrowserWindow,
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (s.menu = m) },
    ipcMain: {
      handle: (c: string, l: (event: unknown, ...args: unknown[]) => Promise<unknown>) => s.ipc.set(c, l),
      removeHandler: (c: string) => s.ipc.delete(c),
      on: (c: string, l: (event: unknown, ...args: unknown[]) => void) => s.ipcOn.set(c, l),
      removeListener: (c: string) => s.ipcOn.delete(c),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (f: typeof s.permissionRequest) => (s.permissionRequest = f),
        setPermissionCheckHandler: (f: typeof s.permissionCheck) => (s.permissionCheck = f),
        setDevicePermissionHandler: vi.fn(),
        on: vi.fn(),
        webRequest: { onHeadersReceived: vi.fn() },
      },
    },
    shell: { openExternal: vi.fn() },
    protocol: {
      registerSchemesAsPrivileged: (x: unknown[]) => s.privileged.push(...x),
      handle: (_scheme: string, f: typeof s.protocolHandler) => (s.protocolHandler = f),
    },
    dialog: {},
    // The engine never starts here: these tests are about the window, not the engine.
    utilityProcess: {
      fork: () => Object.assign(new EventEmitter(), { postMessage: vi.fn(), kill: vi.fn(), pid: undefined }),
    },
  };
});

vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf');
  return {
    default: class extends Conf<Record<string, unknown>> {
      constructor(o: { cwd: string; name: string; migrations: never }) {
        super({ cwd: o.cwd, configName: o.name, projectName: 'gramophone', projectVersion: '0.1.0', migrations: o.migrations });
      }
    },
  };
});

const s = h.state;
const trusted = { senderFrame: { url: APP_URL, parent: null } };

beforeAll(async () => {
  s.userData = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-electron-'));
  await import('../../main/main');
  s.ready!();
  await new Promise((r) => setTimeout(r, 50));
});

function fakeContents() {
  const e = new EventEmitter();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  return {
    on: (ev: string, l: (...a: unknown[]) => void) => e.on(ev, l),
    setWindowOpenHandler: (f: typeof openHandler) => (openHandler = f),
    navigate(ev: string, url: string) {
      const event = { preventDefault: vi.fn() };
      e.emit(ev, event, url);
      return event.preventDefault.mock.calls.length > 0;
    },
    open: (url: string) => openHandler!({ url }),
  };
}

describe('Electron main (mocked electron)', () => {
  it('opens one sandboxed, isolated window on the app:// URL', () => {
    expect(s.sandboxEnabled).toBe(true);
    expect(s.windows).toHaveLength(1);
    const prefs = s.windows[0].options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject(REQUIRED_WEB_PREFERENCES);
    expect(String(prefs.preload)).toMatch(/preload[\\/]preload\.cjs$/);
    expect(s.windows[0].loaded).toEqual(['app://gramophone/index.html']);
    expect(s.privileged).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
  });

  it('denies navigation away from the app, dropped files, new windows and webviews', () => {
    const wc = fakeContents();
    s.appHandlers.get('web-contents-created')!({}, wc);
    expect(wc.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(wc.navigate('will-navigate', 'file:///home/me/dropped.wav')).toBe(true);
    expect(wc.navigate('will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(wc.navigate('will-navigate', 'app://gramophone/index.html')).toBe(false);
    expect(wc.navigate('will-navigate', 'app://other/index.html')).toBe(true);
    expect(wc.navigate('will-attach-webview', 'app://gramophone/')).toBe(true);
    expect(wc.open('https://example.com/paper.pdf')).toEqual({ action: 'deny' });
    expect(wc.open('app://gramophone/index.html')).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      const cb = vi.fn();
      s.permissionRequest!({}, p, cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect(s.permissionCheck!({}, p)).toBe(false);
    }
  });

  it('registers one IPC handler per contract method and checks the sender', async () => {
    expect([...s.ipc.keys()].sort()).toEqual(RENDERER_METHODS.map(channelOf).sort());
    expect([...s.ipcOn.keys()]).toEqual([IPC_CANCEL_CHANNEL]);
    const list = s.ipc.get(channelOf('listPresets'))!;
    const ok = (await list(trusted, {})) as { ok: boolean; value: { builtin: unknown[] } };
    expect(ok.ok).toBe(true);
    expect(ok.value.builtin.length).toBeGreaterThan(0);
    const refused = [
      { senderFrame: null },
      {},
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: 'file:///tmp/index.html', parent: null } },
      { senderFrame: { url: APP_URL, parent: { url: APP_URL } } },
    ];
    for (const event of refused) {
      const r = (await list(event, {})) as { ok: boolean; error: { code: string } };
      expect(r.ok).toBe(false);
      expect(r.error.code).toBe('INVALID_INPUT');
    }
    const bad = (await s.ipc.get(channelOf('deletePreset'))!(trusted, { name: 42 })) as { ok: boolean; error: { code: string } };
    expect(bad.error.code).toBe('INVALID_INPUT');
  });

  it('serves the renderer on app:// without path traversal', async () => {
    const p = s.protocolHandler!;
    for (const url of ['app://gramophone/../../etc/passwd', 'app://gramophone/%2e%2e/%2e%2e/etc/passwd', 'app://gramophone/..%2f..%2fpackage.json', 'app://evil/index.html']) {
      const r = await p({ url });
      expect(r.status, url).toBe(404);
    }
  });

  it('builds a menu with the usual accelerators', () => {
    const flat = JSON.stringify(s.menu);
    for (const acc of ['CmdOrCtrl+O', 'CmdOrCtrl+Shift+O', 'CmdOrCtrl+E', 'CmdOrCtrl+Enter']) expect(flat).toContain(acc);
    expect(flat).toContain('"role":"copy"');
  });
});
