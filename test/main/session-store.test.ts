/**
 * The session on disk: what a restart brings back (inputs, takes with preset, metrics,
 * region, name and export state, the page's part), a corrupt or incomplete session set aside
 * or trimmed and reported (never a failed start-up), Save / Open of one `.gramophone` file,
 * and failed writes that leave the last good session in place. The engine is the real
 * engine handlers (decode, encode, loudness) in this process.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import * as realFs from 'node:fs/promises';
import { zipSync } from 'fflate';
import { SessionStore, closeQuestion } from '../../main/session-store';
import { TrackStore, toTrack } from '../../main/track-store';
import { BUILTIN_PRESETS } from '../../common/preset';
import type { TakeResult } from '../../common/audio';
import { takeMetrics } from '../fixtures/metrics';
import { GramophoneError } from '../../common/errors';
import type { AtomicFs } from '../../engine/io/atomic-write';
import { wav16 } from './helpers/shell-fixture';
import { directEngine, sessionSandbox } from './helpers/session-sandbox';
import { bytesSource } from '../../main/session-unzip';

const METRICS = takeMetrics();

const tone = (n: number, hz: number) => Array.from({ length: n }, (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / 8000));

let dir: string;
const stores = sessionSandbox('gramophone-session-', 'flush', (d) => (dir = d));

/** A session store on `dir` (as at start-up), with its track store. */
async function open(o: { atomicFs?: AtomicFs; folder?: string } = {}) {
  const tracks = new TrackStore();
  const session = new SessionStore({ dir: o.folder ?? dir, engine: directEngine(), tracks, debounceMs: 5, now: () => new Date('2025-01-02T03:04:05Z'), atomicFs: o.atomicFs });
  stores.push(session);
  await session.restored;
  return { tracks, session };
}

/** Content, style and two takes (one from a region), as the handlers would leave them. */
async function fill(tracks: TrackStore) {
  const e = directEngine();
  const load = async (lane: 'content' | 'style', name: string, bytes: Uint8Array) => {
    const d = (await e.call('decode', { name, bytes })) as { info: never; channels: Float32Array[] };
    return tracks.addInput(lane, d.info, { name, bytes }, d.channels);
  };
  const content = await load('content', 'melody.wav', wav16(tone(16000, 440)));
  await load('style', 'violin.wav', wav16(tone(8000, 660)));
  const take = (n: number): TakeResult => ({
    jobId: `job-${n}`,
    sampleRate: 8000,
    samples: new Float32Array(tone(8000, 220 * n)),
    preset: BUILTIN_PRESETS[n],
    metrics: METRICS,
    warnings: [],
  });
  const origin = { content: { id: content.id, name: 'melody.wav' }, styleName: 'violin.wav', loudness: { lufs: -20, peak: 0.3 } };
  const t1 = tracks.addTake(take(0), origin);
  const t2 = tracks.addTake(take(1), { ...origin, region: { start: 0.5, end: 1.5 } });
  return { content, t1, t2 };
}

describe('session store', () => {
  it('a restart brings back every track, the take names and export state, and the page part', async () => {
    const a = await open();
    const { t1, t2 } = await fill(a.tracks);
    a.tracks.rename(t2.id, 'Keeper');
    a.tracks.markExported([t1.id]);
    a.session.setUi({ region: { start: 1, end: 2 }, note: 'kept' });
    await a.session.flush();

    const b = await open();
    expect(b.session.notices).toEqual([]);
    expect(b.session.ui).toEqual({ region: { start: 1, end: 2 }, note: 'kept' });
    const before = a.tracks.list().map(toTrack);
    const after = b.tracks.list().map(toTrack);
    // Same ids, names, presets, metrics, regions, origins; loudness measured again on restore.
    const strip = (ts: typeof before) => ts.map((t) => ({ ...t, info: { ...t.info, loudness: undefined, format: undefined, warnings: undefined } }));
    expect(strip(after)).toEqual(strip(before));
    expect(after.map((t) => t.info.loudness?.lufs)).toEqual(expect.arrayContaining([expect.any(Number)]));
    expect(after[3].info.name).toBe('Keeper');
    expect(after[2].take?.exported).toBe(true);
    expect(after[3].take?.exported).toBe(false);
    expect(after[3].take?.region).toEqual({ start: 0.5, end: 1.5 });
    // Take audio comes back sample for sample (a 32-bit float WAV).
    const samples = (ts: TrackStore) => ts.takes().map((t) => Array.from(t.result.samples));
    expect(samples(b.tracks)).toEqual(samples(a.tracks));
    // A take rendered after the restart is numbered after the ones restored.
    const next = b.tracks.addTake(b.tracks.takes()[0].result, { content: { id: 'c', name: 'c.wav' }, styleName: 's.wav' });
    expect(next.info.name).toMatch(/^Take 3 - /);
  });

  it('saves soon after every change without being asked', async () => {
    const a = await open();
    await fill(a.tracks);
    await new Promise((r) => setTimeout(r, 200));
    await a.session.flush();
    const b = await open();
    expect(b.tracks.list()).toHaveLength(4);
  });

  it('a change is on disk within a second even when changes keep coming every 50 ms', async () => {
    const tracks = new TrackStore();
    const session = new SessionStore({ dir, engine: directEngine(), tracks, debounceMs: 250, maxDelayMs: 1000 });
    stores.push(session);
    await session.restored;
    const onDisk = () => (fs.existsSync(path.join(dir, 'session.json')) ? JSON.parse(fs.readFileSync(path.join(dir, 'session.json'), 'utf8')).ui : null);
    const t0 = Date.now();
    let savedAt = 0;
    for (let i = 1; Date.now() - t0 < 1600; i++) {
      session.setUi({ n: i });
      if (!savedAt && onDisk()?.n >= 1) savedAt = Date.now() - t0;
      await new Promise((r) => setTimeout(r, 50));
    }
    // With a debounce that restarts on every change alone it would never have been written.
    expect(savedAt).toBeGreaterThan(0);
    expect(savedAt).toBeLessThan(1300);
  });

  it('one clean stop: closing twice writes once and leaves no temporary file; leftovers of a killed run go at start-up', async () => {
    const a = await open();
    await fill(a.tracks);
    const [x, y] = [a.session.close(), a.session.close()];
    expect(x).toBe(y);
    await x;
    a.tracks.rename(a.tracks.takes()[0].id, 'After the stop');
    await new Promise((r) => setTimeout(r, 30));
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'session.json'), 'utf8')).not.toContain('After the stop');
    fs.writeFileSync(path.join(dir, '.session.json.123-abc-def.tmp'), '');
    fs.writeFileSync(path.join(dir, 'audio', '.t1.wav.123-abc-def.tmp'), '');
    fs.mkdirSync(path.join(dir, '.opening-xyz'));
    await open();
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'audio')).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('the session folder and its files are private to the user (0700 / 0600)', async () => {
    fs.chmodSync(dir, 0o755);
    const a = await open();
    await fill(a.tracks);
    await a.session.flush();
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'audio')).mode & 0o777).toBe(0o700);
    for (const f of ['session.json', ...fs.readdirSync(path.join(dir, 'audio')).map((f) => `audio/${f}`)]) {
      expect([f, fs.statSync(path.join(dir, f)).mode & 0o777]).toEqual([f, 0o600]);
    }
  });

  it('a removed take stays out after a restart, and its audio file goes; one put back stays', async () => {
    const a = await open();
    const { t1, t2 } = await fill(a.tracks);
    await a.session.flush();
    a.tracks.remove(t1.id);
    a.tracks.remove(t2.id);
    a.tracks.restore(t2.id);
    await a.session.flush();
    expect(fs.readdirSync(path.join(dir, 'audio')).filter((f) => f.startsWith('take-'))).toEqual([`${t2.id}.wav`]);
    const b = await open();
    expect(b.tracks.takes().map((t) => t.id)).toEqual([t2.id]);
  });

  for (const [what, bytes] of [
    ['garbage', Buffer.from([0, 1, 2, 255, 0])],
    ['truncated JSON', Buffer.from('{"format":"gramophone-session","ver')],
    ['another document', Buffer.from(JSON.stringify({ presets: [] }))],
    [
      'a path out of the folder',
      Buffer.from(JSON.stringify({ format: 'gramophone-session', version: 1, inputs: [{ id: 'c', lane: 'content', name: 'x.wav', file: 'audio/../../etc/passwd' }], takes: [], ui: null })),
    ],
    ['empty', Buffer.alloc(0)],
  ] as const) {
    it(`a corrupt session.json (${what}) is set aside and reported; start-up goes on empty`, async () => {
      fs.writeFileSync(path.join(dir, 'session.json'), bytes);
      const { tracks, session } = await open();
      expect(tracks.list()).toEqual([]);
      expect(session.notices).toHaveLength(1);
      expect(session.notices[0]).toMatch(/could not be opened: .+ It was kept as session\.corrupt-2025-01-02T03-04-05-000Z\.json/);
      expect(fs.readFileSync(path.join(dir, 'session.corrupt-2025-01-02T03-04-05-000Z.json'))).toEqual(bytes);
      expect(fs.existsSync(path.join(dir, 'session.json'))).toBe(false);
    });
  }

  it('a missing or unreadable audio file leaves that track out, says so, and keeps its file', async () => {
    const a = await open();
    const { t1 } = await fill(a.tracks);
    await a.session.flush();
    fs.rmSync(path.join(dir, 'audio', `${t1.id}.wav`));
    const style = fs.readdirSync(path.join(dir, 'audio')).find((f) => f.startsWith('style-'))!;
    fs.writeFileSync(path.join(dir, 'audio', style), 'not audio');
    const b = await open();
    expect(b.tracks.list().map((t) => t.kind)).toEqual(['content', 'take']);
    expect(b.session.notices.join('\n')).toMatch(/style "violin\.wav" could not be restored/);
    // In words, not a raw ENOENT path.
    expect(b.session.notices.join('\n')).toContain(`"Take 1 - ${BUILTIN_PRESETS[0].name}" could not be restored: its audio file audio/${t1.id}.wav is missing from the session folder`);
    expect(b.session.notices.join('\n')).not.toMatch(/ENOENT/);
    expect(b.session.notices.join('\n')).toMatch(/kept as session\.incomplete-2025-01-02T03-04-05-000Z\.json/);
    const kept = fs.readFileSync(path.join(dir, 'session.incomplete-2025-01-02T03-04-05-000Z.json'), 'utf8');
    await b.session.flush();
    // Not cleaned up after an incomplete restore: the musician may still rescue it.
    expect(fs.existsSync(path.join(dir, 'audio', style))).toBe(true);
    expect(JSON.parse(kept).takes).toHaveLength(2);
  });

  it('a failed save leaves the last good session in place and says why', async () => {
    const a = await open();
    await fill(a.tracks);
    await a.session.flush();
    const good = fs.readFileSync(path.join(dir, 'session.json'));
    const full = { ...realFs, open: async () => Promise.reject(Object.assign(new Error('no space'), { code: 'ENOSPC' })) } as unknown as AtomicFs;
    const { tracks, session } = await open({ atomicFs: full });
    tracks.rename(tracks.takes()[0].id, 'Renamed');
    await expect(session.flush()).rejects.toThrow(/session could not be saved: .*disk is full/);
    expect(session.lastError).toMatch(/disk is full/);
    expect(fs.readFileSync(path.join(dir, 'session.json'))).toEqual(good);
  });

  it('Save writes one file that opens elsewhere with everything, and marks the takes kept', async () => {
    const a = await open();
    const { t1 } = await fill(a.tracks);
    a.session.setUi({ zoom: 3 });
    const file = path.join(dir, 'My song.gramophone');
    await a.session.saveTo(file);
    expect(a.tracks.unexported()).toEqual([]);
    const other = await open({ folder: path.join(dir, 'elsewhere') });
    await other.session.open(bytesSource(new Uint8Array(fs.readFileSync(file))), 'My song.gramophone', file);
    expect(other.tracks.list().map((t) => t.id)).toEqual(a.tracks.list().map((t) => t.id));
    expect(other.session.ui).toEqual({ zoom: 3 });
    expect(other.tracks.take(t1.id).exported).toBe(true);
    expect(Array.from(other.tracks.take(t1.id).result.samples)).toEqual(Array.from(t1.result.samples));
    // And it is the opened session now: a restart of that store brings it back.
    await other.session.flush();
    const again = await open({ folder: path.join(dir, 'elsewhere') });
    expect(again.tracks.list()).toHaveLength(4);
  });

  it('a save under way when a session is opened does not take the opened inputs away', async () => {
    const a = await open();
    await fill(a.tracks);
    const file = path.join(dir, 'Song.gramophone');
    await a.session.saveTo(file);
    // The next save is slow to finish (a busy disk), and a session is opened meanwhile.
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let held = false;
    const slow = {
      ...realFs,
      rename: async (from: string, to: string) => {
        if (!held && to.endsWith('session.json')) {
          held = true;
          await gate;
        }
        return realFs.rename(from, to);
      },
    } as unknown as AtomicFs;
    const b = await open({ atomicFs: slow, folder: path.join(dir, 'busy') });
    b.tracks.clear();
    const saving = b.session.flush();
    await new Promise((r) => setTimeout(r, 20));
    const opening = b.session.open(bytesSource(new Uint8Array(fs.readFileSync(file))), 'Song.gramophone', file);
    await new Promise((r) => setTimeout(r, 20));
    release();
    await saving;
    await opening;
    expect(b.session.lastError).toBeNull();
    expect(b.tracks.list()).toHaveLength(4);
    for (const t of b.tracks.list()) if (t.kind !== 'take' && 'path' in t.file) expect(fs.existsSync(t.file.path)).toBe(true);
  });

  it('a file that is not a session is refused in one sentence and the current session stays', async () => {
    const a = await open();
    await fill(a.tracks);
    const refuse = async (bytes: Uint8Array) => {
      const e = await a.session.open(bytesSource(bytes), 'x.gramophone', null).then(
        () => null,
        (err: unknown) => err as GramophoneError,
      );
      expect(e?.code).toBe('INVALID_INPUT');
      return e!.message;
    };
    expect(await refuse(new TextEncoder().encode('hello'))).toMatch(/^"x\.gramophone" is not a Gramophone session: it is not a readable ZIP archive/);
    expect(await refuse(zipSync({ 'other.txt': new Uint8Array(3) }))).toMatch(/has no session\.json/);
    const doc = { format: 'gramophone-session', version: 1, inputs: [{ id: 'c1', lane: 'content', name: 'a.wav', file: 'audio/a.wav' }], takes: [], ui: null };
    expect(await refuse(zipSync({ 'session.json': new TextEncoder().encode(JSON.stringify(doc)) }))).toMatch(/could not be opened: .*audio\/a\.wav is missing/);
    expect(a.tracks.list()).toHaveLength(4);
  });

  it('a new session is empty and stays empty after a restart', async () => {
    const a = await open();
    await fill(a.tracks);
    await a.session.reset();
    expect(a.tracks.list()).toEqual([]);
    const b = await open();
    expect(b.tracks.list()).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'audio'))).toEqual([]);
  });

  it('closing asks only when a take exists nowhere outside the app', () => {
    expect(closeQuestion(0)).toBeNull();
    expect(closeQuestion(1)?.message).toBe('One take has not been exported. Quit anyway?');
    expect(closeQuestion(3)?.message).toMatch(/^3 takes/);
  });
});
