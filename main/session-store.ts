/**
 * The session on disk: the tracks main holds and the page's part, kept in a folder of the
 * app's data (`session.json` + `audio/`) so a restart brings everything back, and saved to or
 * opened from one `.gramophone` file a musician can move (see `session-file.ts`).
 *
 * - Every change is written soon after it happens (debounced, but never later than
 *   `maxDelayMs` after the first unsaved change, however often changes follow), each file
 *   atomically and private to the user (0600 in a 0700 folder): a crash
 *   mid-save leaves the previous session.json, whose audio is still there (audio files are
 *   named by content or take id, written once, and removed only after a document that no
 *   longer needs them is on disk).
 * - At start-up a session.json that cannot be used is moved aside as
 *   `session.corrupt-<time>.json` and reported; start-up goes on with an empty session. A
 *   track whose audio is missing or unreadable is left out and reported; the others load.
 * - Opening a session file checks and decodes all of it before anything is replaced; the file
 *   is read as hostile input (`session-unzip.ts`), and identical audio is decoded and kept
 *   once (takes that share audio share one file, hard-linked).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { GramophoneError } from '../common/errors';
import { migratePreset } from '../common/preset';
import type { SessionUi } from '../common/api/session';
import type { TakeResult } from '../common/audio';
import { copyFileAtomic, folderWriteProblem, ioReason, makePrivate, writeFileAtomic, type AtomicFs } from '../engine/io/atomic-write';
import type { EngineCalls } from './engine-host';
import type { TrackStore } from './track-store';
import { MAX_SESSION_JSON_BYTES, SESSION_JSON, docBytes, inputFile, inputFileName, packSession, readSessionDoc, rememberHash, sessionDoc, takeFile } from './session-file';
import type { SessionDoc } from '../common/session-doc';
import { MAX_AUDIO_BYTES, type AudioFile } from '../common/engine-api';
import type { AudioInfo } from '../common/audio';
import { SESSION_FILE_LIMITS, unpackSessionFile, type SessionFileLimits, type StagedFile, type ZipSource } from './session-unzip';

export interface SessionStoreOptions {
  /** The folder the session lives in (created if missing). */
  dir: string;
  engine: EngineCalls;
  tracks: TrackStore;
  /** Delay between a change and its save, ms (restarted by each change). */
  debounceMs?: number;
  /** Longest an unsaved change waits for its save, ms, whatever follows it. */
  maxDelayMs?: number;
  /** What an opened session file may hold. */
  limits?: SessionFileLimits;
  /** Clock for the corrupt-file stamp (tests pin it). */
  now?: () => Date;
  /** File system for writes (tests make it fail). */
  atomicFs?: AtomicFs;
}

/** Decoded tracks of a session document, ready to replace the current ones. */
interface Staged {
  /** Adds each decoded track to the store, in session order. */
  apply: (() => void)[];
  notices: string[];
  wanted: number;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Give the file at `from` a second name `to` (same folder tree, no bytes copied); false if the disk cannot. */
async function linked(from: string, to: string): Promise<boolean> {
  try {
    await fsp.link(from, to);
    return true;
  } catch {
    return false;
  }
}

export class SessionStore {
  private readonly o: Required<Omit<SessionStoreOptions, 'atomicFs'>> & Pick<SessionStoreOptions, 'atomicFs'>;
  /** When the oldest change not yet on disk happened (Date.now()), or null. */
  private pendingSince: number | null = null;
  /** Set by `close`: nothing more is scheduled. */
  private closing: Promise<void> | null = null;
  /** Take audio already on disk, by samples: another take with the same samples is linked to it. */
  private readonly takeFiles = new WeakMap<Float32Array, string>();
  /** The page's part of the session, as it last sent it. */
  ui: SessionUi | null = null;
  /** What the last restore or open could not bring back, in words. */
  notices: string[] = [];
  /** The session file this session was last saved to or opened from. */
  file: string | null = null;
  /** Settles once the session saved last time is back in the track store. */
  readonly restored: Promise<void>;
  /** The last save's failure in words, until a save succeeds. */
  lastError: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> | null = null;
  /** Audio files known to be on disk. */
  private readonly onDisk = new Set<string>();
  /** False after a restore that left something out: its files are kept until the next new or opened session. */
  private mayClean = true;

  constructor(options: SessionStoreOptions) {
    this.o = { debounceMs: 250, maxDelayMs: 1000, now: () => new Date(), limits: SESSION_FILE_LIMITS, ...options };
    const audio = path.join(this.o.dir, 'audio');
    const unwritable = folderWriteProblem(audio);
    if (unwritable) {
      // A read-only disk: what was saved still opens; every save says why it cannot be kept.
      this.lastError = `The session cannot be saved: the folder ${this.o.dir} cannot be written (${unwritable}).`;
    } else {
      // The session is the musician's own: folders only they can enter (made so by older versions too).
      for (const d of [this.o.dir, audio]) makePrivate(d);
      this.removeLeftovers();
    }
    this.restored = this.restore().then(() => {
      if (this.lastError) this.notices.push(this.lastError);
      this.o.tracks.subscribe(() => this.schedule());
    });
  }

  private get jsonPath() {
    return path.join(this.o.dir, SESSION_JSON);
  }

  /** Keep the page's part; saved with the next write. */
  setUi(ui: SessionUi): void {
    this.ui = ui;
    this.schedule();
  }

  /** What a run stopped mid-save or mid-open left: temporary files and staging folders. */
  private removeLeftovers(): void {
    for (const d of [this.o.dir, path.join(this.o.dir, 'audio')]) {
      for (const f of fs.readdirSync(d)) {
        if (/^\..+\.tmp$/.test(f) || /^\.opening-/.test(f)) fs.rmSync(path.join(d, f), { recursive: true, force: true });
      }
    }
  }

  private schedule(): void {
    if (this.closing) return;
    if (this.timer) clearTimeout(this.timer);
    const now = Date.now();
    this.pendingSince ??= now;
    const wait = Math.max(0, Math.min(this.o.debounceMs, this.pendingSince + this.o.maxDelayMs - now));
    this.timer = setTimeout(() => {
      this.timer = null;
      // A failed save is kept in lastError and reported to the page; it must not throw here.
      this.flush().catch(() => undefined);
    }, wait);
  }

  /**
   * Save what is pending and schedule nothing more (the app or server is stopping). Calling
   * it again returns the same promise, so a stop signal received twice writes once.
   */
  close(): Promise<void> {
    this.closing ??= this.flush().finally(() => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
    });
    return this.closing;
  }

  /** Write the session now (waits for a write in progress first). @throws GramophoneError IO_ERROR */
  async flush(): Promise<void> {
    await this.restored;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.writing) await this.writing.catch(() => undefined);
    // Changes from here on are in a later save.
    this.pendingSince = null;
    this.writing = this.write().finally(() => (this.writing = null));
    return this.writing;
  }

  private async write(): Promise<void> {
    const { tracks, dir, atomicFs } = this.o;
    const doc = sessionDoc(tracks, this.ui);
    try {
      for (const t of tracks.list()) {
        const file = t.kind === 'take' ? takeFile(t) : inputFile(t);
        if (this.onDisk.has(file)) continue;
        const target = path.join(dir, file);
        if (!fs.existsSync(target)) {
          const twin = t.kind === 'take' ? this.takeFiles.get(t.result.samples) : undefined;
          if (twin && (await linked(twin, target))) {
            // Same audio as a take already on disk: one file, two names.
          } else if (t.kind === 'take') await writeFileAtomic(target, await this.takeWav(t.result, t.info.name), atomicFs, 0o600);
          else if ('bytes' in t.file) await writeFileAtomic(target, t.file.bytes, atomicFs, 0o600);
          // An upload main keeps on disk is copied, never read whole into memory.
          else await copyFileAtomic(t.file.path, target, 0o600);
        }
        if (t.kind === 'take' && !this.takeFiles.has(t.result.samples)) this.takeFiles.set(t.result.samples, target);
        this.onDisk.add(file);
      }
      await writeFileAtomic(this.jsonPath, docBytes(doc), atomicFs, 0o600);
      this.lastError = null;
    } catch (e) {
      this.lastError = `The session could not be saved: ${message(e)}`;
      throw new GramophoneError('IO_ERROR', this.lastError);
    }
    if (this.mayClean) this.removeUnused(doc);
  }

  /** A take as the 32-bit float WAV a session holds (its preset as the comment). */
  private async takeWav(r: TakeResult, title: string): Promise<Uint8Array> {
    const format = { encoding: 'float32', sampleRate: 'engine', channels: 1 } as const;
    return (await this.o.engine.call('encodeStem', { samples: r.samples, sampleRate: r.sampleRate, format, comment: JSON.stringify(r.preset), title })).bytes;
  }

  /** Remove audio files the document on disk no longer names (replaced inputs, removed takes). */
  private removeUnused(doc: SessionDoc): void {
    const used = new Set([...doc.inputs.map((i) => i.file), ...doc.takes.map((t) => t.file)]);
    const audio = path.join(this.o.dir, 'audio');
    for (const f of fs.readdirSync(audio)) {
      const rel = `audio/${f}`;
      if (used.has(rel) || f.startsWith('.')) continue;
      fs.rmSync(path.join(audio, f), { force: true });
      this.onDisk.delete(rel);
    }
  }

  /** Read the session saved last time; never throws (what fails is set aside and reported). */
  private async restore(): Promise<void> {
    let bytes: Uint8Array;
    try {
      if (fs.statSync(this.jsonPath).size > MAX_SESSION_JSON_BYTES) return this.setAside('the file is too large');
      bytes = fs.readFileSync(this.jsonPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      return this.setAside(`it could not be read (${message(e)})`);
    }
    const r = readSessionDoc(bytes);
    if (!r.ok) return this.setAside(r.reason);
    const staged = await this.stage(r.doc, async (file, lane) => {
      const full = path.join(this.o.dir, file);
      let st: fs.Stats;
      try {
        st = await fsp.stat(full);
      } catch (e) {
        throw new Error(
          (e as NodeJS.ErrnoException).code === 'ENOENT' ? `its audio file ${file} is missing from the session folder ${this.o.dir}` : `its audio file ${file} could not be read: ${ioReason(e)}`,
        );
      }
      // An input's file is named by its hash: no need to read it again to name it.
      const named = lane && new RegExp(`^audio/${lane}-([0-9a-f]{16})\\.`).exec(file);
      if (named) rememberHash(full, named[1]);
      return { path: full, key: `${st.dev}:${st.ino}` };
    });
    this.replace(staged, r.doc);
    this.mayClean = staged.apply.length === staged.wanted;
    if (!this.mayClean) {
      // The next save will no longer name what could not be restored: keep the document as
      // it was (its audio files stay too), so nothing is lost for good.
      const kept = path.join(this.o.dir, `session.incomplete-${this.stamp()}.json`);
      try {
        fs.copyFileSync(this.jsonPath, kept);
        this.notices.push(`The session as it was saved is kept as ${path.basename(kept)}, with all its audio in the session folder.`);
      } catch {
        /* the notices above still say what is missing */
      }
    }
    for (const t of this.o.tracks.list()) this.onDisk.add(t.kind === 'take' ? takeFile(t) : inputFile(t));
  }

  /** The clock as a file-name stamp. */
  private stamp(): string {
    return this.o.now().toISOString().replace(/[:.]/g, '-');
  }

  private setAside(reason: string): void {
    const stamp = this.stamp();
    let aside = path.join(this.o.dir, `session.corrupt-${stamp}.json`);
    for (let i = 2; fs.existsSync(aside); i++) aside = path.join(this.o.dir, `session.corrupt-${stamp}-${i}.json`);
    try {
      fs.renameSync(this.jsonPath, aside);
    } catch {
      // Cannot move it: it stays, and the next save replaces it; the notice still says why.
    }
    this.notices = [`Your last session could not be opened: ${reason}. It was kept as ${path.basename(aside)}; Gramophone starts with a new session.`];
  }

  /**
   * Decode every track of `doc` (its files found by `locate`) without touching the current
   * session. What cannot be read is left out with a notice, and so is a track whose id (or an
   * input whose lane) an earlier track of the document already has. Audio that `locate` gives
   * the same key is decoded once and its samples shared.
   */
  private async stage(doc: SessionDoc, locate: (file: string, lane?: string) => Promise<{ path: string; key: string }>): Promise<Staged> {
    const { engine, tracks } = this.o;
    const staged: Staged = { apply: [], notices: [], wanted: doc.inputs.length + doc.takes.length };
    const ids = new Set<string>();
    const lanes = new Set<string>();
    const clash = (id: string) => (ids.has(id) ? `its id "${id}" is used by another track of the session` : (ids.add(id), null));
    for (const i of doc.inputs) {
      try {
        if (lanes.has(i.lane)) throw new Error(`the session names more than one ${i.lane}`);
        const why = clash(i.id);
        if (why) throw new Error(why);
        lanes.add(i.lane);
        const found = await locate(i.file, i.lane);
        const file: AudioFile = { name: i.name, path: found.path };
        const d = await engine.call('decode', file);
        staged.apply.push(() => tracks.addInput(i.lane, d.info, file, d.channels, i.id));
      } catch (e) {
        staged.notices.push(`The ${i.lane} "${i.name}" could not be restored: ${message(e)}`);
      }
    }
    const decoded = new Map<string, Promise<{ info: AudioInfo; channels: Float32Array[] }>>();
    for (const [n, t] of doc.takes.entries()) {
      // Shared audio is decoded once, so most takes never wait on the engine: let other
      // clients in every few takes.
      if (n % 16 === 15) await new Promise((r) => setImmediate(r));
      try {
        const why = clash(t.id);
        if (why) throw new Error(why);
        const preset = migratePreset(t.preset);
        const found = await locate(t.file);
        let decoding = decoded.get(found.key);
        if (!decoding) decoded.set(found.key, (decoding = engine.call('decode', { name: t.name, path: found.path })));
        const d = await decoding;
        const result: TakeResult = { jobId: t.jobId, sampleRate: d.info.sampleRate, samples: d.channels[0], preset, metrics: t.metrics, warnings: t.warnings };
        const origin = { region: t.region, content: { id: t.contentId, name: t.contentName }, styleName: t.styleName, loudness: d.info.loudness };
        staged.apply.push(() => tracks.addTake(result, origin, { id: t.id, name: t.name, exported: t.exported }));
      } catch (e) {
        staged.notices.push(`"${t.name}" could not be restored: ${message(e)}`);
      }
    }
    return staged;
  }

  private replace(staged: Staged, doc: SessionDoc): void {
    this.o.tracks.clear();
    for (const add of staged.apply) add();
    this.ui = doc.ui;
    this.notices = staged.notices;
  }

  /**
   * Replace the session with the one in a `.gramophone` file (read through `src`, which the
   * caller closes). The file is checked and inflated into a staging folder, and every track
   * decoded, before anything is replaced.
   * @throws GramophoneError INVALID_INPUT when the file is not a session, breaks a limit, or
   *   none of its tracks can be read
   */
  async open(src: ZipSource, name: string, file: string | null): Promise<void> {
    await this.restored;
    await this.exclusive(() => this.openNow(src, name, file));
    await this.flush();
  }

  /**
   * Run `job` while no save runs, and hold saves until it is done: a save in progress drops
   * the audio files its document does not name, and would drop an opened session's inputs
   * as they are put in the session folder, before the session that names them replaces it.
   */
  private async exclusive(job: () => Promise<void>): Promise<void> {
    while (this.writing) await this.writing.catch(() => undefined);
    const running = job();
    this.writing = running.finally(() => (this.writing = null));
    return this.writing;
  }

  private async openNow(src: ZipSource, name: string, file: string | null): Promise<void> {
    const staging = await fsp.mkdtemp(path.join(this.o.dir, '.opening-'));
    try {
      const { doc, files } = await unpackSessionFile(src, name, staging, this.o.limits);
      const staged = await this.stage(doc, async (f, lane) => {
        const found = files.get(f);
        if (!found) throw new GramophoneError('INVALID_INPUT', `its audio file ${f} is missing from the file`);
        // An input keeps its file: it goes where the session folder keeps it, now.
        return { path: lane ? await this.keepInput(found, lane, doc.inputs.find((i) => i.file === f)!.name) : found.path, key: found.sha256 };
      });
      if (staged.wanted > 0 && staged.apply.length === 0) throw new GramophoneError('INVALID_INPUT', `"${name}" could not be opened: ${staged.notices[0] ?? 'no track in it can be read'}`);
      this.replace(staged, doc);
      this.file = file;
      this.mayClean = true;
    } finally {
      await fsp.rm(staging, { recursive: true, force: true });
    }
  }

  /** Put an opened session's input file in the session folder under its lasting name. */
  private async keepInput(f: StagedFile, lane: string, name: string): Promise<string> {
    const target = path.join(this.o.dir, inputFileName(lane, name, f.sha256));
    if (!fs.existsSync(target) && !(await linked(f.path, target))) await copyFileAtomic(f.path, target, 0o600);
    rememberHash(target, f.sha256);
    return target;
  }

  /** Start an empty session. */
  async reset(): Promise<void> {
    await this.restored;
    this.o.tracks.clear();
    this.ui = null;
    this.notices = [];
    this.file = null;
    this.mayClean = true;
    await this.flush();
  }

  /**
   * Save the whole session into one file at `target` (atomically); its takes then count as
   * kept (closing or opening another session does not warn about them).
   * @throws GramophoneError IO_ERROR
   */
  async saveTo(target: string): Promise<void> {
    await this.flush();
    const doc = sessionDoc(this.o.tracks, this.ui);
    doc.takes = doc.takes.map((t) => ({ ...t, exported: true }));
    const files: Record<string, Uint8Array> = { [SESSION_JSON]: docBytes(doc) };
    for (const f of [...doc.inputs.map((i) => i.file), ...doc.takes.map((t) => t.file)]) {
      const full = path.join(this.o.dir, f);
      if (fs.statSync(full).size > MAX_AUDIO_BYTES) throw new GramophoneError('IO_ERROR', `${f} is too large to save in a session.`);
      files[f] = new Uint8Array(fs.readFileSync(full));
    }
    await writeFileAtomic(target, packSession(files), this.o.atomicFs);
    this.file = target;
    this.o.tracks.markExported(doc.takes.map((t) => t.id));
  }
}

/**
 * What closing the app asks when takes were never exported (nor saved in a session file), or
 * null when there is nothing to ask. They are not lost (the session keeps them), but they
 * exist nowhere a musician would look for them outside Gramophone.
 */
export function closeQuestion(unexported: number): { message: string; detail: string; confirmLabel: string } | null {
  if (unexported === 0) return null;
  return {
    message: unexported === 1 ? 'One take has not been exported. Quit anyway?' : `${unexported} takes have not been exported. Quit anyway?`,
    detail: 'They stay in this session and come back when you open Gramophone again. To use them elsewhere, export them (File › Export Take) or save the session (File › Save Session).',
    confirmLabel: 'Quit',
  };
}
