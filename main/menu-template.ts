/**
 * The application menu as data: items either run an Electron role or send a command to the
 * renderer (`menuCommand` event). Accelerators follow platform conventions
 * (`CmdOrCtrl`); transport keys (Space) stay with the page so text fields keep them.
 */
import type { MenuCommand } from '../common/contract';

export interface MenuItemSpec {
  label?: string;
  role?: string;
  accelerator?: string;
  command?: MenuCommand;
  /** False: show the accelerator but leave the key to the page (it handles it itself, e.g. Ctrl+Z outside text fields). */
  registerAccelerator?: boolean;
  type?: 'separator';
  submenu?: MenuItemSpec[];
}

/** The menu for `platform` (macOS gets the app menu first and no Quit under File). */
export function menuTemplate(platform: string, devTools: boolean): MenuItemSpec[] {
  const mac = platform === 'darwin';
  const sep: MenuItemSpec = { type: 'separator' };
  return [
    ...(mac ? [{ label: 'Gramophone', submenu: [{ role: 'about' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit' }] }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Session', accelerator: 'CmdOrCtrl+N', command: 'new-session' },
        { label: 'Open Session…', accelerator: 'CmdOrCtrl+Alt+O', command: 'open-session' },
        { label: 'Save Session', accelerator: 'CmdOrCtrl+S', command: 'save-session', registerAccelerator: false },
        { label: 'Save Session As…', accelerator: 'CmdOrCtrl+Shift+S', command: 'save-session-as', registerAccelerator: false },
        sep,
        { label: 'Open Content…', accelerator: 'CmdOrCtrl+O', command: 'open-content' },
        { label: 'Open Style…', accelerator: 'CmdOrCtrl+Shift+O', command: 'open-style' },
        { label: 'Load Demo', command: 'load-demo' },
        sep,
        { label: 'Export Take…', accelerator: 'CmdOrCtrl+E', command: 'export-takes' },
        { label: 'Import Presets…', command: 'import-presets' },
        { label: 'Export Presets…', command: 'export-presets' },
        ...(mac ? [] : [sep, { role: 'quit', accelerator: 'CmdOrCtrl+Q' }]),
      ],
    },
    // Undo and redo are the workstation's (sliders, preset fields, takes, the region); in a
    // text field the page hands them to the field.
    {
      label: '&Edit',
      submenu: [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', command: 'undo', registerAccelerator: false },
        { label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', command: 'redo', registerAccelerator: false },
        sep,
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&Render',
      submenu: [
        { label: 'Render', accelerator: 'CmdOrCtrl+Enter', command: 'render' },
        { label: 'Cancel Render', accelerator: 'CmdOrCtrl+.', command: 'cancel-render' },
        sep,
        { label: 'Play / Stop', command: 'play-stop' },
      ],
    },
    {
      label: '&View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, sep, { role: 'togglefullscreen' }, ...(devTools ? [sep, { role: 'reload' }, { role: 'toggleDevTools' }] : [])],
    },
    { label: '&Window', role: 'windowMenu' },
    { label: '&Help', submenu: [{ label: 'Keyboard Shortcuts (?)', command: 'shortcuts' }] },
  ];
}
