/**
 * Stem export through the real handlers: formats, overwrite prompts, and faults. Faults are
 * injected into the file system (CI runs as root, so chmod proves nothing) and, where the
 * machine allows mounting, produced by a real full or read-only tmpfs. A failed export must
 * leave no partial or temp file, say why, and leave an existing target untouched.
 */
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { dispatch } from '../../common/rpc';
import { rendererApi, type Track } from '../../common/contract';
import type { ExportFormat } from '../../common/audio';
import { BUILTIN_PRESETS } from '../../common/preset';
import type { AtomicFs } from '../../engine/io/atomic-write';
import { exportHandlers } from '../../main/handlers/exports';
import { nodeFileAccess, type FileAccess } from '../../main/file-access';
import { HeadlessDialogs, type Dialogs } from '../../main/dialogs';
import { makeShell, wav16 } from './helpers/shell-fixture';
import { decodeWav } from '../../engine/audio/wav';

const fx = makeShell();
afterAll(() => fx.shell.dispose());
const api = async (method: string, args: unknown) => {
  const r = await dispatch(rendererApi, fx.shell.handlers, method, args);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as never;
};
const pcm16: ExportFormat = { encoding: 'pcm16', sampleRate: 'engine', channels: 1 };
const big: ExportFormat = { encoding: 'float32', sampleRate: 48000, channels: 2 };
const takes: Track[] = [];

beforeAll(async () => {
  const c: Track = await api('importAudio', { lane: 'content', name: 'c.wav', bytes: wav16(new Float32Array(800)) });
  const s: Track = await api('importAudio', { lane: 'style', name: 's.wav', bytes: wav16(new Float32Array(800)) });
  const preset = { ...BUILTIN_PRESETS[0], optimizer: { ...BUILTIN_PRESETS[0].optimizer, iterations: 2 } };
  for (const jobId of ['e1', 'e2']) takes.push(await api('render', { jobId, contentId: c.id, styleId: s.id, preset }));
});

/** Dialogs that always pick `target` / `folder` and answer confirms from `answers`. */
function dialogsTo(target: string, folder = path.dirname(target), answers: boolean[] = []): Dialogs & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    saveAsksBeforeOverwrite: false,
    openFile: async () => null,
    saveFile: async () => target,
    chooseFolder: async () => folder,
    confirm: async (o) => {
      asked.push(o.message);
      return answers.shift() ?? false;
    },
  };
}
/** The export handler (encoding in the shell's engine process) with these dialogs and files. */
const exportTakes = async (picked: Track[], format: ExportFormat, dialogs: Dialogs, files: FileAccess, engine = fx.shell.engine) =>
  exportHandlers({ engine, tracks: fx.shell.tracks, dialogs, files }).exportTakes({ trackIds: picked.map((t) => t.id), format }, { signal: new AbortController().signal });
const entries = () => takes;
const tempsIn = (dir: string) => fs.readdirSync(dir).filter((f) => f.includes('.tmp'));

/** An fs whose `op` fails with `code` (after `afterBytes` bytes for writes). */
function failing(op: 'open' | 'write' | 'rename', code: string, afterBytes = 1000): AtomicFs {
  return {
    async open(p, flags, mode) {
      if (op === 'open' && flags !== 'r') throw Object.assign(new Error(`${code}: injected`), { code });
      const h = await fsp.open(p, flags, mode);
      if (op !== 'write') return h;
      let total = 0;
      return {
        write: async (buf: Uint8Array, off: number, len: number, pos: number | null) => {
          const n = Math.min(len, afterBytes - total);
          if (n <= 0) throw Object.assign(new Error(`${code}: injected`), { code });
          const r = await h.write(buf, off, n, pos);
          total += r.bytesWritten;
          return r;
        },
        sync: () => h.sync(),
        close: () => h.close(),
      };
    },
    rename: async (a, b) => {
      if (op === 'rename') throw Object.assign(new Error(`${code}: injected`), { code });
      return fsp.rename(a, b);
    },
    unlink: (p) => fsp.unlink(p),
  };
}

describe('stem export', () => {
  it('exports one take as a WAV with the preset embedded, and all takes to a folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-export-'));
    const one = await exportTakes([entries()[0]], pcm16, dialogsTo(path.join(dir, 'one.wav')), nodeFileAccess());
    expect(one?.paths).toEqual([path.join(dir, 'one.wav')]);
    const bytes = fs.readFileSync(path.join(dir, 'one.wav'));
    expect(bytes.subarray(0, 4).toString()).toBe('RIFF');
    expect(bytes.toString('latin1')).toContain(`"name":"${BUILTIN_PRESETS[0].name}"`);
    const all = await exportTakes(entries(), big, dialogsTo('', dir), nodeFileAccess());
    expect(all?.paths.map((p) => path.basename(p))).toEqual([`Take 1 - ${BUILTIN_PRESETS[0].name}.wav`, `Take 2 - ${BUILTIN_PRESETS[0].name}.wav`]);
    expect(tempsIn(dir)).toEqual([]);
  });

  it('asks before overwriting; declining leaves the file and writes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-export-'));
    const target = path.join(dir, `Take 1 - ${BUILTIN_PRESETS[0].name}.wav`);
    fs.writeFileSync(target, 'precious');
    const d = dialogsTo(target, dir, [false]);
    expect(await exportTakes(entries(), pcm16, d, nodeFileAccess())).toBeNull();
    expect(d.asked[0]).toMatch(/1 of these files already exist/);
    expect(fs.readFileSync(target, 'utf8')).toBe('precious');
    expect(fs.readdirSync(dir)).toEqual([`Take 1 - ${BUILTIN_PRESETS[0].name}.wav`]);
    const d2 = dialogsTo(target, dir, [true]);
    expect((await exportTakes([entries()[0]], pcm16, d2, nodeFileAccess()))?.paths).toEqual([target]);
    expect(d2.asked[0]).toMatch(/already exists/);
    expect(fs.readFileSync(target).subarray(0, 4).toString()).toBe('RIFF');
  });

  const faults: [string, AtomicFs, RegExp][] = [
    ['disk full mid-write', failing('write', 'ENOSPC'), /disk is full/],
    ['read-only disk', failing('open', 'EROFS'), /read-only/],
    ['file locked at rename', failing('rename', 'EBUSY'), /locked/],
    ['no permission', failing('open', 'EACCES'), /permission/],
  ];
  for (const [label, afs, message] of faults) {
    it(`${label}: clear IO_ERROR, no partial file, existing target untouched`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-export-'));
      const target = path.join(dir, 'stem.wav');
      fs.writeFileSync(target, 'old take');
      const d = dialogsTo(target, dir, [true]);
      const e = (await exportTakes([entries()[0]], big, d, nodeFileAccess(afs)).catch((x: unknown) => x)) as { code: string; message: string };
      expect(e.code).toBe('IO_ERROR');
      expect(e.message).toMatch(message);
      expect(e.message).toContain('stem.wav');
      expect(fs.readFileSync(target, 'utf8')).toBe('old take');
      expect(fs.readdirSync(dir)).toEqual(['stem.wav']);
    });
  }

  it('a missing folder is named in the error', async () => {
    const gone = path.join(os.tmpdir(), `gramophone-missing-${process.pid}`, 'sub');
    const e = (await exportTakes(entries(), pcm16, dialogsTo('', gone), nodeFileAccess()).catch((x: unknown) => x)) as { code: string; message: string };
    expect(e.code).toBe('IO_ERROR');
    expect(e.message).toMatch(/does not exist/);
    const e1 = (await exportTakes([entries()[0]], pcm16, dialogsTo(path.join(gone, 'a.wav')), nodeFileAccess()).catch((x: unknown) => x)) as { code: string; message: string };
    expect(e1.code).toBe('IO_ERROR');
    expect(e1.message).toMatch(/folder does not exist/);
  });

  it('on a real full, then read-only, tmpfs (where mounting is allowed)', async (ctx) => {
    const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-tmpfs-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt], { stdio: 'pipe' });
    } catch (err) {
      console.log(`skipped: cannot mount a tmpfs here (${String((err as Error).message).split('\n')[0]})`);
      ctx.skip();
      return;
    }
    try {
      const target = path.join(mnt, 'stem.wav');
      fs.writeFileSync(target, 'old take');
      const full = (await exportTakes([entries()[0]], big, dialogsTo(target, mnt, [true]), nodeFileAccess()).catch((x: unknown) => x)) as { code: string; message: string };
      expect(full.code).toBe('IO_ERROR');
      expect(full.message).toMatch(/disk is full/);
      expect(fs.readFileSync(target, 'utf8')).toBe('old take');
      expect(fs.readdirSync(mnt)).toEqual(['stem.wav']);
      execFileSync('mount', ['-o', 'remount,ro', mnt]);
      const ro = (await exportTakes([entries()[0]], pcm16, dialogsTo(target, mnt, [true]), nodeFileAccess()).catch((x: unknown) => x)) as { code: string; message: string };
      expect(ro.code).toBe('IO_ERROR');
      expect(ro.message).toMatch(/read-only/);
      expect(fs.readFileSync(target, 'utf8')).toBe('old take');
    } finally {
      execFileSync('umount', [mnt]);
      fs.rmdirSync(mnt);
    }
  });

  it("the web shell's export folder cannot be made: IO_ERROR naming the folder and why", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-export-'));
    fs.writeFileSync(path.join(root, 'a file'), 'not a folder');
    const exportDir = path.join(root, 'a file', 'exports');
    for (const picked of [[entries()[0]], entries()]) {
      const e = (await exportTakes(picked, pcm16, new HeadlessDialogs(exportDir), nodeFileAccess()).catch((x: unknown) => x)) as { code: string; message: string };
      expect(e.code, `${picked.length} take(s)`).toBe('IO_ERROR');
      expect(e.message).toContain(exportDir);
      expect(e.message).toMatch(/could not be created: .*(not a folder|does not exist)/);
    }
  });

  it('an engine killed mid-export: the error says which files were already written, and they are whole', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-export-'));
    let encodes = 0;
    const real = fx.shell.engine;
    // The engine process is killed while it encodes the second take.
    const engine = new Proxy(real, {
      get: (t, k) =>
        k === 'call'
          ? (m: string, a: unknown, o: unknown) => {
              const p = (real.call as (m: string, a: unknown, o: unknown) => Promise<unknown>)(m, a, o);
              if (m === 'encodeStem' && ++encodes === 2) fx.killEngine();
              return p;
            }
          : Reflect.get(t, k, t),
    });
    const e = (await exportTakes(entries(), pcm16, dialogsTo('', folder), nodeFileAccess(), engine).catch((x: unknown) => x)) as { code: string; message: string };
    const written = fs.readdirSync(folder);
    expect(written).toHaveLength(1);
    expect(e.code).toBe('ENGINE_CRASHED');
    expect(e.message).toContain(`1 take(s) were exported before this one and are complete: ${written[0]}.`);
    expect(decodeWav(new Uint8Array(fs.readFileSync(path.join(folder, written[0]))), written[0]).frames).toBeGreaterThan(0);
    await fx.shell.engine.call('info', {});
  });

  it('a multi-take export that fails before writing anything leaves no empty folder behind', async () => {
    const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-export-'));
    const e = (await exportTakes(entries(), pcm16, new HeadlessDialogs(exportDir), nodeFileAccess(failing('open', 'ENOSPC'))).catch((x: unknown) => x)) as { code: string; message: string };
    expect(e.code).toBe('IO_ERROR');
    expect(e.message).toMatch(/disk is full/);
    expect(fs.readdirSync(exportDir)).toEqual([]);
    // A folder the person chose themselves is theirs: it stays, even empty.
    const theirs = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-export-'));
    await exportTakes(entries(), pcm16, dialogsTo('', theirs), nodeFileAccess(failing('open', 'ENOSPC'))).catch(() => undefined);
    expect(fs.existsSync(theirs)).toBe(true);
  });

  it('refuses to export an input file, through the handler', async () => {
    const r = await dispatch(rendererApi, fx.shell.handlers, 'exportTakes', { trackIds: ['content-1-nope'], format: pcm16 });
    expect(r.ok).toBe(false);
  });
});
