/**
 * The UI's side of the session API (`common/api/session.ts`): the page's part of the session
 * is sent to main whenever it changes (main writes it with the tracks), and Save / Open /
 * New Session ask first when they would replace takes that exist nowhere else.
 */
import type { GramophoneBridge, SessionState } from '../../common/contract';
import type { Store } from '../state/store';
import * as A from '../state/actions';
import { applySessionUi, sessionUi } from '../state/session-ui';
import { messageOf } from './errors';
import { GramophoneError } from '../../common/errors';
import { UPLOAD_CHUNK_BYTES } from '../../common/api/uploads';
import { sendChunks, type PageFile } from './upload';
import type { Questions } from './questions';
import type { TracksClient } from './tracks-client';

/** Sends of the page's part are at least this far apart, ms: a drag is a few saves, not hundreds. */
const SAVE_GAP_MS = 300;

export class SessionClient {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastSend = 0;
  private sent = '';
  private started = false;
  private failed = false;
  private readonly off: () => void;

  constructor(
    private readonly api: GramophoneBridge,
    private readonly store: Store,
    private readonly tracks: TracksClient,
    private readonly questions: Questions,
  ) {
    const unsubscribe = store.subscribe(() => this.schedule());
    // A reload or a closed tab must not lose the last change still waiting for its gap.
    const onHide = () => void this.flush();
    const page = globalThis as { addEventListener?: (type: string, f: () => void) => void; removeEventListener?: (type: string, f: () => void) => void };
    page.addEventListener?.('pagehide', onHide);
    this.off = () => {
      unsubscribe();
      page.removeEventListener?.('pagehide', onHide);
    };
  }

  dispose(): void {
    this.off();
    if (this.timer) clearTimeout(this.timer);
  }

  private get state() {
    return this.store.getState();
  }

  /** The session main restored at start-up; an empty one (with the reason) if it cannot be had. */
  async load(): Promise<SessionState> {
    try {
      return await this.api.getSession({});
    } catch (e) {
      return { tracks: [], ui: null, notices: [`Could not restore the session: ${messageOf(e)}`], file: null };
    }
  }

  /** Show a session: its tracks, then its page part, then what could not be restored. */
  async show(session: SessionState): Promise<boolean> {
    const any = await this.tracks.show(session.tracks);
    this.store.dispatch(applySessionUi, session.ui);
    this.store.dispatch(A.setSessionFile, session.file);
    for (const text of session.notices) this.store.dispatch(A.pushNotice, { kind: 'error', text });
    return any;
  }

  /** From now on, every change of the page's part is saved (call once the session is shown). */
  start(): void {
    this.started = true;
    this.schedule();
  }

  /** A change is sent at once (so a reload right after it finds it), then at most every SAVE_GAP_MS while changes keep coming. */
  private schedule(): void {
    if (!this.started || this.timer) return;
    if (JSON.stringify(sessionUi(this.state)) === this.sent) return;
    const wait = Math.max(0, this.lastSend + SAVE_GAP_MS - Date.now());
    if (wait === 0) void this.flush();
    else this.timer = setTimeout(() => void this.flush(), wait);
  }

  /** Send the page's part now, if it changed. A failure is said once, until a save works again. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ui = sessionUi(this.state);
    const key = JSON.stringify(ui);
    if (key === this.sent) return;
    this.lastSend = Date.now();
    this.sent = key;
    try {
      await this.api.saveSessionUi({ ui });
      this.failed = false;
    } catch (e) {
      // Not kept: the next change (or the next flush) sends it again.
      if (this.sent === key) this.sent = '';
      if (!this.failed) this.store.dispatch(A.pushNotice, { kind: 'error', text: messageOf(e) });
      this.failed = true;
    }
  }

  /** Ask before `what` replaces takes that were never exported; true to go ahead. */
  private async mayReplace(what: string): Promise<boolean> {
    const n = A.unexportedTakes(this.state).length;
    if (!n) return true;
    return this.questions.ask({
      message: n === 1 ? `One take has not been exported. ${what} anyway?` : `${n} takes have not been exported. ${what} anyway?`,
      detail: 'They will be gone from the lanes. To keep them, export them or save this session first (Save in the Session panel, or Ctrl+S).',
      confirmLabel: what,
    });
  }

  /** Replace what is shown with `session`. */
  private async replace(session: SessionState): Promise<void> {
    this.tracks.forgetAll();
    this.store.dispatch(A.clearSession, undefined);
    await this.show(session);
    await this.flush();
  }

  private notice(kind: 'info' | 'error', text: string) {
    this.store.dispatch(A.pushNotice, { kind, text });
  }

  /** Save Session (to the file it came from, else asking where), or Save Session As. */
  async save(as: boolean): Promise<string | null> {
    await this.flush();
    try {
      const r = await this.api.saveSession({ as });
      if (!r) return null;
      this.store.dispatch(A.takesExported, this.state.takeIds);
      this.store.dispatch(A.setSessionFile, r.path.split(/[\\/]/).pop() ?? r.path);
      this.notice('info', `Session saved to ${r.path}`);
      return r.path;
    } catch (e) {
      this.notice('error', `Could not save the session: ${messageOf(e)}`);
      return null;
    }
  }

  /** Open Session through the shell's dialog; false in a browser (the caller offers a file picker). */
  async open(): Promise<boolean> {
    if (this.state.shell === 'web') return false;
    if (!(await this.mayReplace('Open'))) return true;
    try {
      const r = await this.api.openSession({});
      if (r) await this.replace(r);
    } catch (e) {
      this.notice('error', `Could not open the session: ${messageOf(e)}`);
    }
    return true;
  }

  /**
   * Open a session file picked or dropped in the page: a small one in one message, a larger
   * one in chunks as audio is sent, so no message is ever larger than a chunk.
   */
  async importFile(file: PageFile): Promise<void> {
    if (!(await this.mayReplace('Open'))) return;
    try {
      const name = file.name.slice(0, 255) || 'session.gramophone';
      if (file.size === 0) throw new GramophoneError('INVALID_INPUT', `"${name}" is empty.`);
      const r =
        file.size <= UPLOAD_CHUNK_BYTES
          ? await this.api.importSession({ name, bytes: new Uint8Array(await file.slice(0, file.size).arrayBuffer()) })
          : await this.api.openUploadedSession({ uploadId: await sendChunks(this.api, name, file) });
      await this.replace(r);
    } catch (e) {
      this.notice('error', `Could not open the session: ${messageOf(e)}`);
    }
  }

  /** New Session: empty lanes (after asking about unexported takes). */
  async newSession(): Promise<void> {
    if (!(await this.mayReplace('Start a new session'))) return;
    try {
      await this.replace(await this.api.newSession({}));
    } catch (e) {
      this.notice('error', `Could not start a new session: ${messageOf(e)}`);
    }
  }
}
