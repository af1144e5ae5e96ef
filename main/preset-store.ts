/**
 * User presets on disk. Only main writes them. The file is an electron-store (`conf`)
 * document `{ presets: Preset[] }`; this module decides what happens when that file is bad:
 *
 * - At start-up the raw file is checked before the store opens it (size, JSON, shape, every
 *   preset against the schema). A file that fails is moved aside as
 *   `presets.corrupt-<time>.json`, the last good backup (`presets.backup.json`) is restored,
 *   and a notice tells the user what happened. A file with some bad entries keeps the good
 *   ones; the original is still set aside so nothing is silently dropped. The store's own
 *   bookkeeping counts too (conf's version marker, which its library cannot read when it is
 *   not a version), and so does anything else that stops the store opening the file. A
 *   leading UTF-8 byte order mark is no corruption: it is dropped.
 * - Writes are atomic (temp file + rename, by the store); after each write the backup is
 *   refreshed, also atomically. Stale temp files from a writer killed mid-save are removed at
 *   start-up.
 * - Built-in presets are read-only: their names cannot be saved over, renamed or deleted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BUILTIN_PRESETS, builtinPreset, migratePreset, type Preset } from '../common/preset';
import { MAX_PRESET_FILE_BYTES } from '../common/api/presets';
import { GramophoneError } from '../common/errors';
import { jsonShapeProblem } from '../common/json-guard';
import { folderWriteProblem, makePrivate } from '../engine/io/atomic-write';

/** The part of electron-store / conf the preset store uses. */
export interface BackingStore {
  store: Record<string, unknown>;
}

/** Options the store factory receives; map them onto electron-store or conf. */
export interface BackingStoreOptions {
  cwd: string;
  /** File name without `.json`. */
  name: string;
  /** conf migrations keyed by app version; applied once per version bump. */
  migrations: Record<string, (store: { get(key: string): unknown; set(key: string, value: unknown): void }) => void>;
}

export type OpenBackingStore = (options: BackingStoreOptions) => BackingStore;

/** The presets in `file` (when it can be used), held in memory; every save throws `refusal`. */
function readOnlyStore(file: string, refusal: string): BackingStore {
  let presets: Preset[] = [];
  try {
    const check = checkPresetsFile(fs.readFileSync(file));
    if (check.ok) presets = check.presets;
  } catch {
    /* nothing readable: an empty list */
  }
  return {
    get store() {
      return { presets };
    },
    set store(_: Record<string, unknown>) {
      throw new GramophoneError('IO_ERROR', refusal);
    },
  };
}

/** Most user presets kept. */
export const MAX_USER_PRESETS = 1000;
const FILE_NAME = 'presets';

/**
 * Migrations for the presets file, by app version. Each brings every entry to the current
 * preset version; entries that cannot be migrated are left for the start-up check to report.
 */
export const PRESET_FILE_MIGRATIONS: BackingStoreOptions['migrations'] = {
  '0.1.0': (store) => {
    const list = store.get('presets');
    if (!Array.isArray(list)) return;
    store.set(
      'presets',
      list.map((p) => {
        try {
          return migratePreset(p);
        } catch {
          return p;
        }
      }),
    );
  },
};

export interface PresetStoreOptions {
  dir: string;
  open: OpenBackingStore;
  /** Clock for the corrupt-file stamp (tests pin it). */
  now?: () => Date;
}

type Check = { ok: true; presets: Preset[]; problems: string[] } | { ok: false; reason: string };

/** A UTF-8 byte order mark, which editors on Windows put before the text. */
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const hasBom = (bytes: Buffer) => bytes.subarray(0, 3).equals(BOM);

/**
 * A version as the store's library reads it (semver, after trimming and dropping a leading
 * `v` or `=`): the library throws on anything else while it opens the file.
 */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Why the store's own bookkeeping (`__internal__`, kept by conf) would stop it opening; null if fine. */
function internalProblem(doc: Record<string, unknown>): string | null {
  const internal = doc.__internal__;
  if (internal === undefined) return null;
  if (!internal || typeof internal !== 'object' || Array.isArray(internal)) return 'its internal record is damaged';
  const migrations = (internal as Record<string, unknown>).migrations;
  if (migrations === undefined) return null;
  if (!migrations || typeof migrations !== 'object' || Array.isArray(migrations)) return 'its internal record is damaged';
  const version = (migrations as Record<string, unknown>).version;
  if (version === undefined) return null;
  if (typeof version !== 'string' || !SEMVER.test(version.trim().replace(/^[=v]+/, ''))) {
    return `its internal version marker (${JSON.stringify(version).slice(0, 40)}) is not a version`;
  }
  return null;
}

/** Check a presets file's bytes without trusting them. A leading UTF-8 BOM is allowed. */
export function checkPresetsFile(bytes: Buffer): Check {
  if (hasBom(bytes)) bytes = bytes.subarray(3);
  if (bytes.byteLength === 0) return { ok: false, reason: 'the file is empty' };
  if (bytes.byteLength > MAX_PRESET_FILE_BYTES) return { ok: false, reason: `the file is too large (${bytes.byteLength} bytes)` };
  let doc: unknown;
  try {
    const text = bytes.toString('utf8');
    // Before parsing: a document nested 100,000 deep parses, then overflows whatever walks it.
    const shape = jsonShapeProblem(text, MAX_PRESET_FILE_BYTES);
    if (shape) return { ok: false, reason: shape };
    doc = JSON.parse(text);
  } catch {
    return { ok: false, reason: bytes.includes(0) ? 'the file contains binary garbage' : 'the file is not valid JSON (it may be truncated)' };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, reason: 'the file is not a presets document' };
  const damaged = internalProblem(doc as Record<string, unknown>);
  if (damaged) return { ok: false, reason: damaged };
  const list = (doc as Record<string, unknown>).presets;
  if (list === undefined) return { ok: true, presets: [], problems: [] };
  if (!Array.isArray(list)) return { ok: false, reason: '"presets" is not a list' };
  if (list.length > MAX_USER_PRESETS) return { ok: false, reason: `the file holds more than ${MAX_USER_PRESETS} presets` };
  const presets: Preset[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    const label = entry && typeof entry === 'object' && typeof (entry as { name?: unknown }).name === 'string' ? `"${String((entry as { name: string }).name).slice(0, 80)}"` : `#${i + 1}`;
    try {
      const p = migratePreset(entry);
      const key = p.name.toLowerCase();
      if (builtinPreset(p.name)) problems.push(`${label}: uses a built-in preset's name`);
      else if (seen.has(key)) problems.push(`${label}: duplicate name`);
      else {
        seen.add(key);
        presets.push(p);
      }
    } catch (e) {
      problems.push(`${label}: ${(e instanceof Error ? e.message : String(e)).slice(0, 200)}`);
    }
  });
  return { ok: true, presets, problems };
}

/** The preset store main's handlers use. */
export class PresetStore {
  private readonly dir: string;
  private readonly file: string;
  private readonly backup: string;
  private readonly store: BackingStore;
  private readonly now: () => Date;
  /** What start-up had to repair, in words, for the presets panel. */
  readonly notices: string[] = [];

  constructor(opts: PresetStoreOptions) {
    this.dir = opts.dir;
    this.file = path.join(opts.dir, `${FILE_NAME}.json`);
    this.backup = path.join(opts.dir, `${FILE_NAME}.backup.json`);
    this.now = opts.now ?? (() => new Date());
    // The app's data folder: the musician's own, not for other users of the machine.
    const unwritable = folderWriteProblem(this.dir);
    if (unwritable) {
      // A read-only disk (or a folder of another user): start with what can be read, say so,
      // and refuse saves in words rather than stop.
      this.notices.push(`Presets cannot be saved: the folder ${this.dir} cannot be written (${unwritable}). Presets saved there before are shown; new ones will not be kept.`);
      this.store = readOnlyStore(this.file, `Could not save presets in ${this.dir}: ${unwritable}.`);
      return;
    }
    makePrivate(this.dir);
    this.removeStaleTemps();
    let recovered = this.checkAndRepair();
    const open = () => opts.open({ cwd: this.dir, name: FILE_NAME, migrations: PRESET_FILE_MIGRATIONS });
    let store: BackingStore;
    try {
      store = open();
    } catch (e) {
      // Whatever the check above did not foresee: the file is set aside like any other
      // corruption, and the store opens on the backup (or empty).
      recovered = this.setAside(`it could not be opened (${(e instanceof Error ? e.message : String(e)).slice(0, 200)})`);
      store = open();
    }
    this.store = store;
    if (recovered) this.write(recovered);
    else this.refreshBackup();
  }

  /** Temp files of writers killed mid-save: the store's own (`presets.json.tmp-…`) and ours. */
  private removeStaleTemps() {
    for (const f of fs.readdirSync(this.dir)) {
      if (/^presets(\.backup)?\.json\.tmp-/.test(f)) fs.rmSync(path.join(this.dir, f), { force: true });
    }
  }

  /**
   * Validate the file before the store reads it. Returns the presets to write back when the
   * file had to be replaced, or null when it was fine (or absent).
   */
  private checkAndRepair(): Preset[] | null {
    let bytes: Buffer;
    try {
      if (fs.statSync(this.file).size > MAX_PRESET_FILE_BYTES) {
        return this.setAside(`the file is too large`);
      }
      bytes = fs.readFileSync(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this.restoreBackupIfAny();
      return this.setAside(`it could not be read (${(e as Error).message})`);
    }
    const check = checkPresetsFile(bytes);
    if (!check.ok) return this.setAside(check.reason);
    // The store's library does not skip a BOM; the same document without one is written back.
    if (hasBom(bytes)) this.writeRaw(this.file, bytes.subarray(3));
    if (check.problems.length) {
      const aside = this.moveAside();
      this.notices.push(
        `${check.problems.length} saved preset(s) could not be loaded and were left out (${check.problems.slice(0, 5).join('; ')}). ` + `The original file is kept as ${path.basename(aside)}.`,
      );
      return check.presets;
    }
    return null;
  }

  private restoreBackupIfAny(): Preset[] | null {
    const b = this.readBackup();
    if (b && b.length) {
      this.notices.push(`The presets file was missing; ${b.length} preset(s) were restored from the backup.`);
      return b;
    }
    return null;
  }

  private readBackup(): Preset[] | null {
    try {
      const check = checkPresetsFile(fs.readFileSync(this.backup));
      return check.ok ? check.presets : null;
    } catch {
      return null;
    }
  }

  private moveAside(): string {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    let aside = path.join(this.dir, `${FILE_NAME}.corrupt-${stamp}.json`);
    for (let i = 2; fs.existsSync(aside); i++) aside = path.join(this.dir, `${FILE_NAME}.corrupt-${stamp}-${i}.json`);
    fs.renameSync(this.file, aside);
    return aside;
  }

  private setAside(reason: string): Preset[] {
    const aside = this.moveAside();
    const restored = this.readBackup();
    this.notices.push(
      `Your presets file could not be used: ${reason}. It was kept as ${path.basename(aside)}` +
        (restored ? ` and ${restored.length} preset(s) were restored from the last good backup.` : '; no good backup was found, so the list starts empty.'),
    );
    return restored ?? [];
  }

  /** Replace `file` atomically (temp file, fsync, rename). @throws the file system's error */
  private writeRaw(file: string, body: Uint8Array) {
    const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
    try {
      const fd = fs.openSync(tmp, 'w', 0o600);
      try {
        fs.writeSync(fd, body);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, file);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
  }

  private refreshBackup() {
    try {
      this.writeRaw(this.backup, Buffer.from(JSON.stringify({ presets: this.user() }, null, 2)));
    } catch {
      // A failed backup must not fail the save it follows; the main file is already safe.
    }
  }

  private write(presets: Preset[]) {
    try {
      this.store.store = { ...this.store.store, presets };
    } catch (e) {
      if (e instanceof GramophoneError) throw e;
      throw new GramophoneError('IO_ERROR', `Could not save presets to ${this.file}: ${(e as Error).message}`);
    }
    this.refreshBackup();
  }

  /** User presets, in saved order. */
  user(): Preset[] {
    const list = this.store.store.presets;
    if (!Array.isArray(list)) return [];
    return list.flatMap((p) => {
      try {
        return [migratePreset(p)];
      } catch {
        return [];
      }
    });
  }

  /** The read-only built-ins. */
  builtin(): Preset[] {
    return [...BUILTIN_PRESETS];
  }

  private find(name: string) {
    const key = name.trim().toLowerCase();
    return this.user().findIndex((p) => p.name.toLowerCase() === key);
  }

  /** Save a user preset; an existing one of the same name is replaced only with `overwrite`. */
  save(preset: Preset, overwrite = false): Preset[] {
    if (builtinPreset(preset.name)) throw new GramophoneError('INVALID_INPUT', `"${preset.name}" is a built-in preset and cannot be changed; save it under another name.`);
    const list = this.user();
    const i = this.find(preset.name);
    if (i >= 0 && !overwrite) throw new GramophoneError('INVALID_INPUT', `A preset named "${preset.name}" already exists.`);
    if (i < 0 && list.length >= MAX_USER_PRESETS) throw new GramophoneError('INVALID_INPUT', `You already have ${MAX_USER_PRESETS} presets; delete some first.`);
    if (i >= 0) list[i] = preset;
    else list.push(preset);
    this.write(list);
    return list;
  }

  rename(from: string, to: string): Preset[] {
    if (builtinPreset(from)) throw new GramophoneError('INVALID_INPUT', `"${from}" is a built-in preset and cannot be renamed.`);
    if (builtinPreset(to)) throw new GramophoneError('INVALID_INPUT', `"${to}" is the name of a built-in preset.`);
    const list = this.user();
    const i = this.find(from);
    if (i < 0) throw new GramophoneError('INVALID_INPUT', `No preset named "${from}".`);
    const j = this.find(to);
    if (j >= 0 && j !== i) throw new GramophoneError('INVALID_INPUT', `A preset named "${to}" already exists.`);
    list[i] = { ...list[i], name: to.trim() };
    this.write(list);
    return list;
  }

  delete(name: string): { user: Preset[]; deleted: Preset } {
    if (builtinPreset(name)) throw new GramophoneError('INVALID_INPUT', `"${name}" is a built-in preset and cannot be deleted.`);
    const list = this.user();
    const i = this.find(name);
    if (i < 0) throw new GramophoneError('INVALID_INPUT', `No preset named "${name}".`);
    const [deleted] = list.splice(i, 1);
    this.write(list);
    return { user: list, deleted };
  }

  /**
   * Import presets from a JSON document: one preset, a list, or `{ presets: [...] }`. Good
   * entries are kept (a name clash gets " (imported)" appended), bad ones reported.
   */
  importJson(text: string, fileName: string): { user: Preset[]; imported: string[]; rejected: { name: string; reason: string }[] } {
    const shape = jsonShapeProblem(text, MAX_PRESET_FILE_BYTES);
    if (shape) throw new GramophoneError('INVALID_INPUT', `${fileName} cannot be imported: ${shape}.`);
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new GramophoneError('INVALID_INPUT', `${fileName} is not a JSON file (or it is truncated).`);
    }
    const entries: unknown[] = Array.isArray(doc) ? doc : doc && typeof doc === 'object' && Array.isArray((doc as { presets?: unknown }).presets) ? (doc as { presets: unknown[] }).presets : [doc];
    if (entries.length > MAX_USER_PRESETS) throw new GramophoneError('INVALID_INPUT', `${fileName} holds more than ${MAX_USER_PRESETS} presets.`);
    const list = this.user();
    const imported: string[] = [];
    const rejected: { name: string; reason: string }[] = [];
    entries.forEach((entry, i) => {
      const rawName = entry && typeof entry === 'object' ? (entry as { name?: unknown }).name : undefined;
      const label = typeof rawName === 'string' && rawName.trim() ? rawName.slice(0, 80) : `entry ${i + 1}`;
      let p: Preset;
      try {
        p = migratePreset(entry);
      } catch (e) {
        rejected.push({ name: label, reason: (e instanceof Error ? e.message : String(e)).slice(0, 300) });
        return;
      }
      let name = p.name;
      for (let n = 1; builtinPreset(name) || list.some((q) => q.name.toLowerCase() === name.toLowerCase()); n++) {
        name = `${p.name.slice(0, 60)} (imported${n > 1 ? ` ${n}` : ''})`;
      }
      if (list.length >= MAX_USER_PRESETS) {
        rejected.push({ name: label, reason: 'too many presets' });
        return;
      }
      list.push({ ...p, name });
      imported.push(name);
    });
    if (imported.length) this.write(list);
    return { user: list, imported, rejected };
  }

  /** The named presets (user or built-in) as a JSON document for export. */
  exportJson(names: string[]): string {
    const all = [...this.user(), ...BUILTIN_PRESETS];
    const picked = names.map((n) => {
      const p = all.find((q) => q.name.toLowerCase() === n.trim().toLowerCase());
      if (!p) throw new GramophoneError('INVALID_INPUT', `No preset named "${n}".`);
      return p;
    });
    return JSON.stringify({ presets: picked }, null, 2) + '\n';
  }
}
