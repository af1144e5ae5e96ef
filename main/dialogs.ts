/**
 * File dialogs live in main: the renderer never names a path. Electron implements this with
 * native dialogs (`electron/electron-dialogs.ts`); the local web server, which has no
 * native dialogs, uses `HeadlessDialogs`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GramophoneError } from '../common/errors';

/** A file-type filter, e.g. `{ name: 'WAV audio', extensions: ['wav'] }`. */
export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface Dialogs {
  /** Ask for one existing file; null if the user cancelled. */
  openFile(o: { title: string; filters: FileFilter[] }): Promise<string | null>;
  /** Ask where to save one file; null if cancelled. */
  saveFile(o: { title: string; defaultName: string; filters: FileFilter[] }): Promise<string | null>;
  /** Ask for a folder to export into; null if cancelled. */
  chooseFolder(o: { title: string }): Promise<string | null>;
  /** Ask a yes/no question (overwrite?); true means go ahead. */
  confirm(o: { message: string; detail?: string; confirmLabel: string }): Promise<boolean>;
  /** True when `saveFile` itself already asked before choosing an existing file. */
  readonly saveAsksBeforeOverwrite: boolean;
}

/** Keep a suggested name a plain file name: no folders, no control or reserved characters. */
export function safeFileName(name: string, fallback = 'untitled'): string {
  const cleaned = name
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 200);
  return cleaned || fallback;
}

export interface HeadlessDialogsOptions {
  /** Where saves and folder exports go. */
  exportDir: string;
  /** Answers for `openFile`, consumed in order (tests). Empty: opening is refused. */
  openQueue?: string[];
  /** Answers for `confirm`, consumed in order; when empty the answer is `defaultConfirm`. */
  confirmQueue?: boolean[];
  defaultConfirm?: boolean;
}

/**
 * Dialogs without a screen: saves go to the export folder under the suggested name (made
 * unique, so nothing is overwritten without asking), folder exports into a new dated folder
 * inside it, opens come from a queue or are refused with a message telling the user to drop
 * the file instead.
 */
export class HeadlessDialogs implements Dialogs {
  readonly saveAsksBeforeOverwrite = true;
  constructor(private readonly opts: HeadlessDialogsOptions) {}

  async openFile(o: { title: string }): Promise<string | null> {
    const next = this.opts.openQueue?.shift();
    if (next !== undefined) return next;
    throw new GramophoneError('INVALID_INPUT', `${o.title}: there is no file dialog in the browser; drag the file onto the lane or use its file picker.`);
  }

  async saveFile(o: { defaultName: string }): Promise<string | null> {
    fs.mkdirSync(this.opts.exportDir, { recursive: true });
    const name = safeFileName(o.defaultName);
    const ext = path.extname(name);
    const stem = name.slice(0, name.length - ext.length);
    let target = path.join(this.opts.exportDir, name);
    for (let i = 2; fs.existsSync(target); i++) target = path.join(this.opts.exportDir, `${stem} (${i})${ext}`);
    return target;
  }

  /** A new dated folder inside the export folder, so exporting all takes never overwrites. */
  async chooseFolder(): Promise<string | null> {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    let dir = path.join(this.opts.exportDir, `Takes ${stamp}`);
    for (let i = 2; fs.existsSync(dir); i++) dir = path.join(this.opts.exportDir, `Takes ${stamp} (${i})`);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  async confirm(): Promise<boolean> {
    const next = this.opts.confirmQueue?.shift();
    return next ?? this.opts.defaultConfirm ?? false;
  }
}
