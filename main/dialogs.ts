/**
 * File dialogs live in main: the renderer never names a path. Electron implements this with
 * native dialogs (`electron/electron-dialogs.ts`); the local web server, which has no
 * native dialogs, uses `HeadlessDialogs`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GramophoneError } from '../common/errors';
import type { FileType } from '../common/file-types';
import { folderWriteProblem, ioReason } from '../engine/io/atomic-write';
import type { FileAccess } from './file-access';

export interface Dialogs {
  /** Ask for one existing file of `type`; null if the user cancelled. */
  openFile(o: { title: string; type: FileType }): Promise<string | null>;
  /** Ask where to save one file of `type`; null if cancelled. */
  saveFile(o: { title: string; defaultName: string; type: FileType }): Promise<string | null>;
  /** Ask for a folder to export into; null if cancelled. */
  chooseFolder(o: { title: string }): Promise<string | null>;
  /** Ask a yes/no question (overwrite?); true means go ahead. */
  confirm(o: { message: string; detail?: string; confirmLabel: string }): Promise<boolean>;
  /**
   * An export into a folder `chooseFolder` returned wrote nothing: remove the folder if the
   * dialog made it and it is still empty. (A folder the person picked is theirs to keep.)
   */
  discardFolder?(dir: string): Promise<void>;
  /** True when `saveFile` itself already asked before choosing an existing file. */
  readonly saveAsksBeforeOverwrite: boolean;
  /**
   * Where a folder named by a relative path is found, in a shell with no dialog to open one
   * (the browser's: its export folder). Undefined where `chooseFolder` opens an existing folder.
   */
  readonly folderBase?: string;
}

/** Keep a suggested name a plain file name: no folders, no control or reserved characters. */
export function safeFileName(name: string, fallback = 'untitled'): string {
  const cleaned = name
    // Control characters are exactly what must go.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 200);
  return cleaned || fallback;
}

/**
 * Ask where to save one file of `type`: the dialog's choice with the type's extension added
 * when it has none, after a "Replace it?" when that file exists and the dialog did not
 * already ask. Null when the person cancelled or declined.
 */
export async function askSaveTarget(dialogs: Dialogs, files: FileAccess, o: { title: string; defaultName: string; type: FileType }): Promise<string | null> {
  const chosen = await dialogs.saveFile(o);
  if (!chosen) return null;
  const target = path.extname(chosen) ? chosen : `${chosen}.${o.type.extensions[0]}`;
  if (dialogs.saveAsksBeforeOverwrite && target === chosen) return target;
  if (!(await files.exists(target))) return target;
  const replace = await dialogs.confirm({ message: `"${path.basename(target)}" already exists. Replace it?`, confirmLabel: 'Replace' });
  return replace ? target : null;
}

/**
 * Make `dir` and its parents.
 * @throws GramophoneError IO_ERROR naming the folder and the reason in words
 */
function makeFolder(dir: string) {
  let problem: string | null;
  try {
    fs.mkdirSync(dir, { recursive: true });
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A read-only disk answers a recursive mkdir with ENOENT: ask for the real reason.
    problem = code === 'ENOTDIR' || code === 'EEXIST' ? `part of that path is a file, not a folder (${code})` : code === 'ENOENT' ? folderWriteProblem(dir) : ioReason(e);
  }
  throw new GramophoneError('IO_ERROR', `Could not export: the folder ${dir} could not be created: ${problem ?? 'unknown reason'}.`);
}

/**
 * Dialogs without a screen (the local web server): saves go to the export folder under the
 * suggested name (made unique, so nothing is overwritten without asking), folder exports into
 * a new dated folder inside it, and opening is refused with a message telling the person to
 * drop the file or use the page's file picker instead.
 */
export class HeadlessDialogs implements Dialogs {
  readonly saveAsksBeforeOverwrite = true;
  /** Folders `chooseFolder` made, which `discardFolder` may remove again. */
  private readonly made = new Set<string>();
  /** @param exportDir where saves and folder exports go */
  constructor(private readonly exportDir: string) {}

  get folderBase(): string {
    return this.exportDir;
  }

  async openFile(o: { title: string }): Promise<string | null> {
    throw new GramophoneError('INVALID_INPUT', `${o.title}: there is no file dialog in the browser; drag the file onto the lane or use its file picker.`);
  }

  async saveFile(o: { defaultName: string }): Promise<string | null> {
    makeFolder(this.exportDir);
    const name = safeFileName(o.defaultName);
    const ext = path.extname(name);
    const stem = name.slice(0, name.length - ext.length);
    let target = path.join(this.exportDir, name);
    for (let i = 2; fs.existsSync(target); i++) target = path.join(this.exportDir, `${stem} (${i})${ext}`);
    return target;
  }

  /** A new dated folder inside the export folder, so exporting all takes never overwrites. */
  async chooseFolder(): Promise<string | null> {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    let dir = path.join(this.exportDir, `Takes ${stamp}`);
    for (let i = 2; fs.existsSync(dir); i++) dir = path.join(this.exportDir, `Takes ${stamp} (${i})`);
    makeFolder(dir);
    this.made.add(dir);
    return dir;
  }

  async discardFolder(dir: string): Promise<void> {
    if (!this.made.delete(dir)) return;
    try {
      fs.rmdirSync(dir); // Fails, harmlessly, if anything is in it.
    } catch {
      /* not empty, or already gone */
    }
  }

  /** Never reached for saves (names are made unique); anything else is declined. */
  async confirm(): Promise<boolean> {
    return false;
  }
}
