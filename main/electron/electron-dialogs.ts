/** Native file dialogs for the `Dialogs` interface, parented to the main window. */
import { app, dialog, type BrowserWindow } from 'electron';
import path from 'node:path';
import { dialogFilters, type FileType } from '../../common/file-types';
import type { Dialogs } from '../dialogs';
import { safeFileName } from '../dialogs';

export class ElectronDialogs implements Dialogs {
  /** Native save dialogs ask before replacing (on Linux because we ask them to). */
  readonly saveAsksBeforeOverwrite = true;
  constructor(private readonly window: () => BrowserWindow | null) {}

  private parent() {
    const w = this.window();
    return w && !w.isDestroyed() ? w : undefined;
  }

  async openFile(o: { title: string; type: FileType }) {
    const opts = { title: o.title, filters: dialogFilters(o.type), properties: ['openFile' as const] };
    const w = this.parent();
    const r = w ? await dialog.showOpenDialog(w, opts) : await dialog.showOpenDialog(opts);
    return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
  }

  async saveFile(o: { title: string; defaultName: string; type: FileType }) {
    const opts = {
      title: o.title,
      defaultPath: path.join(app.getPath('music'), safeFileName(o.defaultName)),
      filters: dialogFilters(o.type),
      properties: ['showOverwriteConfirmation' as const, 'createDirectory' as const],
    };
    const w = this.parent();
    const r = w ? await dialog.showSaveDialog(w, opts) : await dialog.showSaveDialog(opts);
    return r.canceled || !r.filePath ? null : r.filePath;
  }

  async chooseFolder(o: { title: string }) {
    const opts = { title: o.title, properties: ['openDirectory' as const, 'createDirectory' as const] };
    const w = this.parent();
    const r = w ? await dialog.showOpenDialog(w, opts) : await dialog.showOpenDialog(opts);
    return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
  }

  async confirm(o: { message: string; detail?: string; confirmLabel: string }) {
    const opts = { type: 'question' as const, buttons: [o.confirmLabel, 'Cancel'], defaultId: 1, cancelId: 1, message: o.message, detail: o.detail, noLink: true };
    const w = this.parent();
    const r = w ? await dialog.showMessageBox(w, opts) : await dialog.showMessageBox(opts);
    return r.response === 0;
  }
}
