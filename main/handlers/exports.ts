/**
 * Handlers for the renderer API's exports (`common/api/exports.ts`): takes as WAV stems, one
 * through a save dialog, several into a chosen folder. The engine process encodes each stem
 * (resampling is DSP, and would block Electron's main thread for a second on a long take);
 * main only asks where, and moves the bytes. Each file carries its preset as the WAV comment
 * and is written atomically, so a failure (disk full, read-only, missing folder, locked file)
 * leaves no partial file and an existing target untouched. Overwriting asks first.
 */
import path from 'node:path';
import type { MethodHandlers } from '../../common/rpc';
import type { exportMethods } from '../../common/api/exports';
import { GramophoneError } from '../../common/errors';
import { MIDI_FILE, WAV_STEM } from '../../common/file-types';
import { trackNotes } from '../track-notes';
import type { EngineCalls } from '../engine-host';
import { askSaveTarget, safeFileName, type Dialogs } from '../dialogs';
import type { FileAccess } from '../file-access';
import type { TakeEntry, TrackStore } from '../track-store';

/** The file name a take is offered under: its lane name plus `.wav`. */
const stemFileName = (take: TakeEntry) => `${safeFileName(take.info.name, 'take')}.wav`;

export interface ExportDeps {
  engine: EngineCalls;
  tracks: TrackStore;
  dialogs: Dialogs;
  files: FileAccess;
  /** The tracks' transcribed notes, shared with the overlay (default: a cache of its own). */
  notes?: ReturnType<typeof trackNotes>;
}

/** Where each take goes, or null when the person cancelled (a dialog, or declined to overwrite). */
async function chooseTargets(takes: TakeEntry[], dialogs: Dialogs, files: FileAccess): Promise<string[] | null> {
  if (takes.length === 1) {
    const target = await askSaveTarget(dialogs, files, { title: 'Export take as WAV', defaultName: stemFileName(takes[0]), type: WAV_STEM });
    return target ? [target] : null;
  }
  const folder = await dialogs.chooseFolder({ title: `Export ${takes.length} takes into a folder` });
  if (!folder) return null;
  if (!(await files.isFolder(folder))) throw new GramophoneError('IO_ERROR', `Could not export: the folder ${folder} does not exist.`);
  const used = new Set<string>();
  const targets = takes.map((t) => {
    const base = stemFileName(t).slice(0, -4);
    let name = `${base}.wav`;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base} (${i}).wav`;
    used.add(name.toLowerCase());
    return path.join(folder, name);
  });
  const existing: string[] = [];
  for (const t of targets) if (await files.exists(t)) existing.push(path.basename(t));
  if (!existing.length) return targets;
  const replace = await dialogs.confirm({
    message: `${existing.length} of these files already exist in ${folder}. Replace them?`,
    detail: existing.slice(0, 10).join('\n'),
    confirmLabel: 'Replace',
  });
  return replace ? targets : null;
}

export function exportHandlers({ engine, tracks, dialogs, files, notes = trackNotes(engine, tracks) }: ExportDeps): MethodHandlers<typeof exportMethods> {
  return {
    async exportNotes({ trackIds }) {
      const lanes = trackIds.map((id) => tracks.get(id));
      const first = lanes.find((t) => t.kind === 'content') ?? lanes[0];
      const target = await askSaveTarget(dialogs, files, { title: 'Export notes as MIDI', defaultName: safeFileName(`${path.parse(first.info.name).name} notes.mid`), type: MIDI_FILE });
      if (!target) return null;
      const laneNotes = [];
      for (const t of lanes) laneNotes.push({ name: `${t.kind}: ${t.info.name}`.slice(0, 255), notes: await notes(t.id) });
      const { bytes } = await engine.call('notesMidi', { lanes: laneNotes });
      await files.writeAtomic(target, bytes);
      return { path: target };
    },
    /**
     * @throws GramophoneError IO_ERROR naming the file and the reason; files written before
     *   the failure are listed in the message and remain complete.
     */
    async exportTakes({ trackIds, format, blends = [] }) {
      const takes = trackIds.map((id) => tracks.take(id));
      // Check every blend can be made before asking where to write anything.
      const blendOf = new Map(
        blends.map((b) => {
          const take = tracks.take(b.trackId);
          const content = tracks.list().find((t) => t.id === take.contentId);
          if (!content || content.kind !== 'content') {
            throw new GramophoneError(
              'INVALID_INPUT',
              `"${take.info.name}" cannot be exported blended: its content "${take.contentName}" is no longer loaded. Export it as rendered, or open that content again.`,
            );
          }
          return [b.trackId, { dry: content.channels, sampleRate: content.info.sampleRate, offset: take.region?.start ?? 0, wet: b.wet, dryGain: b.dryGain }] as const;
        }),
      );
      const targets = await chooseTargets(takes, dialogs, files);
      if (!targets) return null;
      const written: string[] = [];
      try {
        for (const [i, take] of takes.entries()) {
          const { samples, sampleRate, preset } = take.result;
          const blend = blendOf.get(take.id);
          try {
            const { bytes } = await engine.call('encodeStem', { samples, sampleRate, format, comment: JSON.stringify(preset), title: take.info.name, blend });
            await files.writeAtomic(targets[i], bytes);
          } catch (e) {
            // Whatever stopped it (the disk, the engine killed mid-export), say what is already out.
            if (!written.length) throw e;
            const msg = e instanceof Error ? e.message : String(e);
            const done = ` ${written.length} take(s) were exported before this one and are complete: ${written.map((p) => path.basename(p)).join(', ')}.`;
            throw new GramophoneError(e instanceof GramophoneError ? e.code : 'IO_ERROR', `${msg}${done}`);
          }
          written.push(targets[i]);
          tracks.markExported([take.id]);
        }
      } catch (e) {
        if (takes.length > 1 && !written.length) await dialogs.discardFolder?.(path.dirname(targets[0]));
        throw e;
      }
      return { paths: written };
    },
  };
}
