/**
 * Export takes as WAV stems: one take through a save dialog, several into a chosen folder.
 * Each file carries its preset as the WAV comment and is written atomically, so a failure
 * (disk full, read-only, missing folder, locked file) leaves no partial file and an existing
 * target untouched. Overwriting asks first.
 */
import path from 'node:path';
import type { ExportFormat } from '../common/audio';
import { GramophoneError } from '../common/errors';
import { encodeStem } from '../engine/wav/stem';
import { safeFileName, type Dialogs } from './dialogs';
import type { FileAccess } from './file-access';
import type { TakeEntry } from './track-store';

const WAV_FILTER = [{ name: 'WAV audio', extensions: ['wav'] }];

/** The file name a take is offered under: its lane name plus `.wav`. */
export const stemFileName = (take: TakeEntry) => `${safeFileName(take.info.name, 'take')}.wav`;

/** Encode one take in `format` with its preset embedded. */
export function encodeTake(take: TakeEntry, format: ExportFormat): Uint8Array {
  return encodeStem(take.result.samples, take.result.sampleRate, format, {
    comment: JSON.stringify(take.result.preset),
    title: take.info.name,
  });
}

/**
 * Export `takes`. Resolves with the written paths, or null when the user cancelled (a
 * dialog, or declined to overwrite).
 * @throws GramophoneError IO_ERROR naming the file and the reason; files written before the
 *   failure are listed in the message and remain complete.
 */
export async function exportTakes(takes: TakeEntry[], format: ExportFormat, dialogs: Dialogs, files: FileAccess): Promise<{ paths: string[] } | null> {
  let targets: string[];
  if (takes.length === 1) {
    const chosen = await dialogs.saveFile({ title: 'Export take as WAV', defaultName: stemFileName(takes[0]), filters: WAV_FILTER });
    if (!chosen) return null;
    const target = path.extname(chosen) ? chosen : `${chosen}.wav`;
    if (!dialogs.saveAsksBeforeOverwrite || target !== chosen) {
      if (
        (await files.exists(target)) &&
        !(await dialogs.confirm({ message: `"${path.basename(target)}" already exists. Replace it?`, confirmLabel: 'Replace' }))
      ) {
        return null;
      }
    }
    targets = [target];
  } else {
    const folder = await dialogs.chooseFolder({ title: `Export ${takes.length} takes into a folder` });
    if (!folder) return null;
    if (!(await files.isFolder(folder))) throw new GramophoneError('IO_ERROR', `Could not export: the folder ${folder} does not exist.`);
    const used = new Set<string>();
    targets = takes.map((t) => {
      const base = stemFileName(t).slice(0, -4);
      let name = `${base}.wav`;
      for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base} (${i}).wav`;
      used.add(name.toLowerCase());
      return path.join(folder, name);
    });
    const existing: string[] = [];
    for (const t of targets) if (await files.exists(t)) existing.push(path.basename(t));
    if (
      existing.length &&
      !(await dialogs.confirm({
        message: `${existing.length} of these files already exist in ${folder}. Replace them?`,
        detail: existing.slice(0, 10).join('\n'),
        confirmLabel: 'Replace',
      }))
    ) {
      return null;
    }
  }
  const written: string[] = [];
  for (let i = 0; i < takes.length; i++) {
    const bytes = encodeTake(takes[i], format);
    try {
      await files.writeAtomic(targets[i], bytes);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const done = written.length ? ` ${written.length} take(s) were exported before this one: ${written.map((p) => path.basename(p)).join(', ')}.` : '';
      throw new GramophoneError('IO_ERROR', `${msg}${done}`);
    }
    written.push(targets[i]);
  }
  return { paths: written };
}
