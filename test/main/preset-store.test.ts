import { describe, it, expect, beforeEach } from 'vitest';
import { V1_QUICK } from '../fixtures/presets';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PresetStore, checkPresetsFile } from '../../main/preset-store';
import { confBackingStore } from '../../main/conf-store';
import { BUILTIN_PRESETS, PresetSchema, type Preset } from '../../common/preset';
import { GramophoneError } from '../../common/errors';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-presets-'));
});
const open = () => new PresetStore({ dir, open: confBackingStore(), now: () => new Date('2025-01-02T03:04:05Z') });
const user = (name: string, seed = 1): Preset => ({ ...BUILTIN_PRESETS[0], name, network: { ...BUILTIN_PRESETS[0].network, seed } });
const file = () => path.join(dir, 'presets.json');
const aside = () => fs.readdirSync(dir).filter((f) => f.startsWith('presets.corrupt-'));
const codeOf = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as GramophoneError).code;
  }
};

describe('PresetStore operations', () => {
  it('saves, reloads, renames and deletes user presets', () => {
    const s = open();
    expect(s.user()).toEqual([]);
    s.save(user('A'));
    s.save(user('B', 2));
    expect(codeOf(() => s.save(user('a')))).toBe('INVALID_INPUT');
    s.save(user('A', 9), true);
    expect(
      open()
        .user()
        .map((p) => [p.name, p.network.seed]),
    ).toEqual([
      ['A', 9],
      ['B', 2],
    ]);
    s.rename('A', 'C');
    expect(codeOf(() => s.rename('C', 'B'))).toBe('INVALID_INPUT');
    const { deleted } = s.delete('B');
    expect(deleted.name).toBe('B');
    expect(
      open()
        .user()
        .map((p) => p.name),
    ).toEqual(['C']);
    expect(open().notices).toEqual([]);
  });

  it('keeps its folder and files private to the user (0700 / 0600)', () => {
    fs.chmodSync(dir, 0o755);
    const s = open();
    s.save(user('Mine'));
    s.save(user('Mine too'));
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of fs.readdirSync(dir)) expect([f, fs.statSync(path.join(dir, f)).mode & 0o777]).toEqual([f, 0o600]);
  });

  it('keeps built-ins read-only', () => {
    const s = open();
    const builtin = BUILTIN_PRESETS[0].name;
    expect(codeOf(() => s.save({ ...BUILTIN_PRESETS[0] }, true))).toBe('INVALID_INPUT');
    expect(codeOf(() => s.rename(builtin, 'X'))).toBe('INVALID_INPUT');
    expect(codeOf(() => s.delete(builtin))).toBe('INVALID_INPUT');
    s.save(user('Mine'));
    expect(codeOf(() => s.rename('Mine', builtin.toUpperCase()))).toBe('INVALID_INPUT');
    expect(s.builtin()).toHaveLength(BUILTIN_PRESETS.length);
  });

  it('imports good entries, reports bad ones, and exports valid JSON', () => {
    const s = open();
    s.save(user('Dup'));
    const doc = { presets: [user('New'), user('Dup', 5), { ...user('Bad'), weights: { content: -1 } }, 42, { ...V1_QUICK, name: 'Old', version: 0, backend: undefined }] };
    const r = s.importJson(JSON.stringify(doc), 'mine.json');
    expect(r.imported).toEqual(['New', 'Dup (imported)', 'Old']);
    expect(r.rejected.map((x) => x.name)).toEqual(['Bad', 'entry 4']);
    expect(r.rejected[0].reason).toMatch(/weights/);
    expect(
      open()
        .user()
        .map((p) => p.name),
    ).toEqual(['Dup', 'New', 'Dup (imported)', 'Old']);
    expect(codeOf(() => s.importJson('{"presets": [', 'cut.json'))).toBe('INVALID_INPUT');
    expect(() => s.importJson(`[${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}]`, 'deep.json')).toThrow(/deep\.json cannot be imported: it nests more than 40 levels deep/);
    const out = JSON.parse(s.exportJson(['New', BUILTIN_PRESETS[1].name]));
    expect(out.presets.map((p: Preset) => PresetSchema.parse(p).name)).toEqual(['New', BUILTIN_PRESETS[1].name]);
    // What we export, we import.
    const again = open().importJson(s.exportJson(['New']), 'x.json');
    expect(again.imported).toEqual(['New (imported)']);
  });

  it('loads a file saved by the current version unchanged (migrations are a no-op on it)', () => {
    const fixture = fileURLToPath(new URL('./fixtures/presets-0.1.0.json', import.meta.url));
    fs.copyFileSync(fixture, file());
    const s = open();
    expect(s.notices).toEqual([]);
    expect(s.user().map((p) => p.name)).toEqual(['My bright violin', 'Crickets texture']);
    expect(s.user()[0].weights.style).toBe(2);
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual(JSON.parse(fs.readFileSync(fixture, 'utf8')));
  });

  it('migrates an unversioned file with version-0 presets', () => {
    const old = { ...V1_QUICK, name: 'Draft' } as Record<string, unknown>;
    delete old.version;
    delete old.backend;
    old.output = { normalize: true };
    fs.writeFileSync(file(), JSON.stringify({ presets: [old] }));
    const s = open();
    expect(s.notices).toEqual([]);
    const [p] = s.user();
    expect(p.version).toBe(2);
    expect(p.backend).toBe('auto');
    const onDisk = JSON.parse(fs.readFileSync(file(), 'utf8'));
    expect(onDisk.presets[0].version).toBe(2);
    expect(onDisk.__internal__.migrations.version).toBeDefined();
  });
});

describe('PresetStore start-up with a bad file', () => {
  const bad: [string, () => Buffer][] = [
    ['empty', () => Buffer.alloc(0)],
    ['truncated', () => Buffer.from(JSON.stringify({ presets: [user('A')] }).slice(0, 40))],
    ['NUL-filled', () => Buffer.alloc(4096)],
    ['wrong schema', () => Buffer.from(JSON.stringify({ presets: { not: 'a list' } }))],
    ['a JSON array', () => Buffer.from('[1,2,3]')],
    ['oversized', () => Buffer.alloc(9 * 1024 * 1024, 0x20)],
    // conf reads its migration marker with semver, which throws on anything but a version.
    ['a bad conf version', () => Buffer.from(JSON.stringify({ presets: [user('A')], __internal__: { migrations: { version: 'not-a-version' } } }))],
    ['a conf version that is not text', () => Buffer.from(JSON.stringify({ presets: [user('A')], __internal__: { migrations: { version: { major: 1 } } } }))],
    ['conf internals that are not an object', () => Buffer.from(JSON.stringify({ presets: [user('A')], __internal__: 'x' }))],
    // Parses, but would overflow the stack of whatever walks it next (conf, the migrations).
    ['a preset nested 100,000 deep', () => Buffer.from(`{"presets":[{"name":"Deep","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`)],
  ];
  for (const [label, make] of bad) {
    it(`${label}: starts, sets the file aside, restores the backup, tells the user`, () => {
      const s0 = open();
      s0.save(user('Kept'));
      const contents = make();
      fs.writeFileSync(file(), contents);
      const s = open();
      expect(s.user().map((p) => p.name)).toEqual(['Kept']);
      expect(aside()).toHaveLength(1);
      expect(fs.readFileSync(path.join(dir, aside()[0])).equals(contents)).toBe(true);
      expect(s.notices.join(' ')).toMatch(/could not be used.*restored from the last good backup/);
      expect(checkPresetsFile(fs.readFileSync(file())).ok).toBe(true);
      // The repaired file now loads cleanly.
      expect(open().notices).toEqual([]);
    });
  }

  it('accepts a file that starts with a UTF-8 byte order mark, and saves it without one', () => {
    const body = JSON.stringify({ presets: [user('With BOM')] });
    fs.writeFileSync(file(), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]));
    expect(checkPresetsFile(fs.readFileSync(file())).ok).toBe(true);
    const s = open();
    expect(s.notices).toEqual([]);
    expect(aside()).toEqual([]);
    expect(s.user().map((p) => p.name)).toEqual(['With BOM']);
    s.save(user('Another', 2));
    expect(fs.readFileSync(file())[0]).toBe('{'.charCodeAt(0));
    expect(
      open()
        .user()
        .map((p) => p.name),
    ).toEqual(['With BOM', 'Another']);
  });

  it('sets aside a file the store itself cannot open, whatever the reason', () => {
    const s0 = open();
    s0.save(user('Kept'));
    let opened = 0;
    const flaky = (o: Parameters<ReturnType<typeof confBackingStore>>[0]) => {
      if (opened++ === 0) throw new TypeError('Invalid Version: from a future conf');
      return confBackingStore()(o);
    };
    const s = new PresetStore({ dir, open: flaky, now: () => new Date('2025-01-02T03:04:05Z') });
    expect(s.user().map((p) => p.name)).toEqual(['Kept']);
    expect(aside()).toHaveLength(1);
    expect(s.notices.join(' ')).toMatch(/could not be used.*Invalid Version.*restored from the last good backup/);
  });

  it('starts empty (and says so) when the backup is bad too', () => {
    fs.writeFileSync(file(), '{"presets": [');
    fs.writeFileSync(path.join(dir, 'presets.backup.json'), 'garbage');
    const s = open();
    expect(s.user()).toEqual([]);
    expect(s.notices[0]).toMatch(/no good backup/);
  });

  it('keeps good entries when only some are invalid, and sets the original aside', () => {
    fs.writeFileSync(file(), JSON.stringify({ presets: [user('Good'), { ...user('Broken'), analysis: { sampleRate: 'fast' } }] }));
    const s = open();
    expect(s.user().map((p) => p.name)).toEqual(['Good']);
    expect(s.notices[0]).toMatch(/"Broken"/);
    expect(aside()).toHaveLength(1);
  });
});

describe('PresetStore against a writer killed mid-save', () => {
  it('never leaves an invalid file, and start-up removes temp files', async () => {
    const writer = fileURLToPath(new URL('./helpers/preset-writer.ts', import.meta.url));
    const rounds = 12;
    let sawTemp = 0;
    for (let i = 0; i < rounds; i++) {
      const child = fork(writer, [dir], { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
      await new Promise<void>((resolve) => child.once('message', () => resolve()));
      await new Promise((r) => setTimeout(r, 30 + Math.random() * 120));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      sawTemp += fs.readdirSync(dir).filter((f) => f.includes('.tmp-')).length;
      const check = checkPresetsFile(fs.readFileSync(file()));
      expect(check.ok && check.problems).toEqual([]);
      const s = open();
      expect(s.notices).toEqual([]);
      expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    }
    // Plant a stale temp to be sure start-up cleans it even if no kill left one.
    fs.writeFileSync(path.join(dir, 'presets.json.tmp-1234567890abcdef'), '{"presets": [');
    open();
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    console.log(`killed writer ${rounds} times; temp files left by kills: ${sawTemp}`);
  }, 120_000);
});
