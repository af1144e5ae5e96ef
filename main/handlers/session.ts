/**
 * Handlers for the renderer API's session (`common/api/session.ts`): the session restored at
 * start-up, the page's part kept with it, and Save / Open / New. Asking before replacing
 * takes that were never exported is the page's job (it asks in place, in any shell).
 */
import path from 'node:path';
import type { MethodHandlers } from '../../common/rpc';
import type { sessionMethods, SessionState } from '../../common/api/session';
import { GramophoneError } from '../../common/errors';
import { SESSION_FILE } from '../../common/file-types';
import { askSaveTarget, safeFileName, type Dialogs } from '../dialogs';
import { readReason, type FileAccess } from '../file-access';
import type { SessionStore } from '../session-store';
import { bytesSource, fileSource, type ZipSource } from '../session-unzip';
import type { UploadStore } from '../upload-store';
import { toTrack, type TrackStore } from '../track-store';

export interface SessionDeps {
  session: SessionStore;
  tracks: TrackStore;
  dialogs: Dialogs;
  files: FileAccess;
  uploads: UploadStore;
}

/** Open a session through `src`, closing it whatever happens. */
async function openFrom(session: SessionStore, src: ZipSource, name: string, file: string | null): Promise<void> {
  try {
    await session.open(src, name, file);
  } finally {
    await src.close();
  }
}

/** "Violin phrase.gramophone" for a content "Violin phrase.mp3". */
function defaultName(tracks: TrackStore): string {
  const content = tracks.list().find((t) => t.kind === 'content');
  const stem = content ? content.info.name.replace(/\.[^.]+$/, '') : 'Session';
  return `${safeFileName(stem, 'Session')}.${SESSION_FILE.extensions[0]}`;
}

export function sessionHandlers({ session, tracks, dialogs, files, uploads }: SessionDeps): MethodHandlers<typeof sessionMethods> {
  const state = (): SessionState => ({
    tracks: tracks.list().map(toTrack),
    ui: session.ui,
    notices: [...session.notices],
    file: session.file && path.basename(session.file),
  });
  return {
    async getSession() {
      await session.restored;
      return state();
    },
    /** @throws GramophoneError IO_ERROR when the last save failed, so the page can say so */
    saveSessionUi({ ui }) {
      session.setUi(ui);
      if (session.lastError) throw new GramophoneError('IO_ERROR', session.lastError);
      return {};
    },
    async saveSession({ as }) {
      const target = !as && session.file ? session.file : await askSaveTarget(dialogs, files, { title: 'Save session', defaultName: defaultName(tracks), type: SESSION_FILE });
      if (!target) return null;
      await session.saveTo(target);
      return { path: target };
    },
    async openSession() {
      const file = await dialogs.openFile({ title: 'Open a session', type: SESSION_FILE });
      if (!file) return null;
      const name = path.basename(file);
      // Read where needed, never whole: the same checks as a file sent by a page.
      const src = await fileSource(file).catch((e: unknown) => {
        throw new GramophoneError('IO_ERROR', `Could not open "${name}": ${readReason(e)}.`);
      });
      await openFrom(session, src, name, file);
      return state();
    },
    async importSession({ name, bytes }) {
      await openFrom(session, bytesSource(bytes), name, null);
      return state();
    },
    async openUploadedSession({ uploadId }) {
      const { path: file, name } = await uploads.finish(uploadId);
      try {
        await openFrom(session, await fileSource(file), name, null);
      } finally {
        uploads.discard(file);
      }
      return state();
    },
    async newSession() {
      await session.reset();
      return state();
    },
  };
}
