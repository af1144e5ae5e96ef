/**
 * Electron main process entry: one secure window onto the workstation. The logic lives in
 * Electron-free modules (handlers, engine host, preset store, security); this file wires
 * them to Electron's objects.
 */
import { app, BrowserWindow, Menu, ipcMain, session, shell as electronShell, type MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Store from 'electron-store';
import { IPC_EVENT_CHANNEL, type MenuCommand } from '../common/contract';
import { createShell } from './shell';
import { registerIpcHandlers } from './ipc-bridge';
import { APP_URL, hardenContents, hardenSession, mainWindowOptions } from './security';
import { menuTemplate, type MenuItemSpec } from './menu-template';
import { CONTENT_SECURITY_POLICY, distPaths } from './app-files';
import { nodeFileAccess } from './file-access';
import { ElectronDialogs } from './electron/electron-dialogs';
import { utilityEngineLauncher } from './electron/utility-engine-launcher';
import { registerAppScheme, serveRenderer } from './electron/app-protocol';
import { closeQuestion } from './session-store';

const here = path.dirname(fileURLToPath(import.meta.url));
const paths = distPaths(here);
const preloadPath = path.resolve(here, '../preload/preload.cjs');

app.enableSandbox();
registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

// Every web contents, whatever creates it, gets the same restrictions.
app.on('web-contents-created', (_e, contents) => {
  hardenContents(contents as never, (url) => void electronShell.openExternal(url));
});

let win: BrowserWindow | null = null;

function toElectronMenu(items: MenuItemSpec[], send: (c: MenuCommand) => void): MenuItemConstructorOptions[] {
  return items.map((i) => ({
    label: i.label,
    role: i.role as MenuItemConstructorOptions['role'],
    accelerator: i.accelerator,
    registerAccelerator: i.registerAccelerator,
    type: i.type,
    click: i.command ? () => send(i.command!) : undefined,
    submenu: i.submenu ? toElectronMenu(i.submenu, send) : undefined,
  }));
}

void app.whenReady().then(() => {
  hardenSession(session.defaultSession as never);
  // Belt and braces: the app:// responses carry the CSP; any other response gets it too.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  serveRenderer(paths.rendererDir);
  const dialogs = new ElectronDialogs(() => win);
  const shell = createShell({
    shell: 'electron',
    launch: utilityEngineLauncher(paths.engineEntry),
    presetsDir: app.getPath('userData'),
    // Only main writes presets; electron-store sets projectVersion from the app's version.
    openStore: (o) => new Store<Record<string, unknown>>({ cwd: o.cwd, name: o.name, migrations: o.migrations as never, clearInvalidConfig: false, configFileMode: 0o600 }),
    dialogs,
    files: nodeFileAccess(),
    demoDir: paths.demoDir,
    log: (line) => console.log(line),
  });
  registerIpcHandlers(ipcMain as never, shell.handlers);
  shell.emitTo((event, data) => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, { event, data });
  });
  const send = (command: MenuCommand) => win?.webContents.send(IPC_EVENT_CHANNEL, { event: 'menuCommand', data: { command } });
  Menu.setApplicationMenu(Menu.buildFromTemplate(toElectronMenu(menuTemplate(process.platform, !app.isPackaged), send)));

  win = new BrowserWindow({
    ...mainWindowOptions(),
    webPreferences: {
      preload: preloadPath,
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
      spellcheck: false,
      safeDialogs: true,
      // Middle-click would otherwise open links in new windows.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win?.show());
  // Closing with takes that exist nowhere outside Gramophone asks first.
  let closeAnswered = false;
  win.on('close', (e) => {
    const question = closeQuestion(shell.tracks.unexported().length);
    if (closeAnswered || !question) return;
    e.preventDefault();
    void dialogs.confirm(question).then((quit) => {
      closeAnswered = quit;
      if (quit) win?.close();
    });
  });
  win.on('closed', () => (win = null));
  void win.loadURL(APP_URL);

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  // Save the session before the engine stops; quit once it is on disk.
  let saved = false;
  app.on('before-quit', (e) => {
    if (saved) return;
    e.preventDefault();
    void shell.close().finally(() => {
      saved = true;
      app.quit();
    });
  });
});

app.on('window-all-closed', () => app.quit());
