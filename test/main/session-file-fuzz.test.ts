/**
 * Session files fuzzed (seeded, so a failure replays): entry names, declared and real sizes,
 * nesting of the document, numbers of entries and takes, references that are missing, shared
 * or point nowhere, and bytes flipped anywhere in the archive. Every case must end in an
 * opened session or a refusal in words (INVALID_INPUT, naming the file), never another error,
 * with time, memory and the longest stall of the event loop bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EngineCalls } from '../../main/engine-host';
import { SessionStore } from '../../main/session-store';
import { TrackStore } from '../../main/track-store';
import { bytesSource } from '../../main/session-unzip';
import { createEngineHandlers } from '../../engine/engine-handlers';
import { BUILTIN_PRESETS } from '../../common/preset';
import { GramophoneError } from '../../common/errors';
import { takeMetrics } from '../fixtures/metrics';
import { wav16 } from './helpers/shell-fixture';
import { craftZip, deflated, stored, zeros, type CraftEntry } from './helpers/zip-craft';

/** mulberry32: a small seeded generator, uniform in [0, 1). */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20_2026;
const CASES = 60;

function engine(): EngineCalls {
  const handlers = createEngineHandlers(() => undefined) as unknown as Record<string, (a: unknown, c: unknown) => unknown>;
  const ctx = { signal: new AbortController().signal };
  return { status: { state: 'ready' }, call: async (m: string, a: unknown) => handlers[m](a, ctx), render: async () => ({}) } as unknown as EngineCalls;
}

/** One fuzzed session file. */
function fuzzCase(rnd: () => number): Uint8Array {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const int = (n: number) => Math.floor(rnd() * n);
  const name = () =>
    pick([
      () => `audio/a${int(20)}.wav`,
      () => `audio/${'x'.repeat(1 + int(200))}`,
      () => `../audio/${int(9)}.wav`,
      () => `audio/\u00e9\u{1f3b5}${int(9)}.wav`,
      () => `audio/.hidden`,
      () => `session.json`,
      () => `/etc/${int(9)}`,
    ])();
  const wav = wav16(Array.from({ length: 200 + int(4000) }, (_, i) => Math.sin(i / (2 + int(30)))));
  const often = (x: number) => rnd() < x;
  const takes = Array.from({ length: often(0.05) ? 1001 : pick([0, 1, 3, int(40)]) }, (_, i) => ({
    id: often(0.97) ? `t${i}` : pick([`t${int(3)}`, 'bad id!', '']),
    name: `Take ${i + 1}`,
    file: often(0.97) ? `audio/a${int(4)}.wav` : name(),
    jobId: `j${i}`,
    preset: rnd() < 0.9 ? BUILTIN_PRESETS[int(BUILTIN_PRESETS.length)] : { name: 'odd', layers: [int(9)] },
    metrics: takeMetrics(),
    warnings: [],
    contentName: 'c.wav',
    styleName: 's.wav',
    contentId: 'c1',
    exported: rnd() < 0.5,
  }));
  const inputs = [
    { id: 'c1', lane: 'content', name: 'c.wav', file: rnd() < 0.8 ? 'audio/a0.wav' : name() },
    ...(rnd() < 0.5 ? [{ id: pick(['s1', 'c1']), lane: pick(['style', 'content', 'drums']), name: 's.wav', file: `audio/a${int(4)}.wav` }] : []),
  ];
  const depth = often(0.6) ? 0 : pick([3, 31, 33, 45, 65, 5000]);
  const ui = depth ? `{"deep":${'['.repeat(depth)}${']'.repeat(depth)}}` : pick(['null', '{"zoom":2}', '[]', '"x"']);
  let json = JSON.stringify({ format: 'gramophone-session', version: often(0.97) ? 1 : 2, inputs, takes, ui: '@' }).replace('"@"', ui);
  if (often(0.05)) json = json.slice(0, int(json.length));
  const entries: CraftEntry[] = [];
  const doc = new TextEncoder().encode(json);
  if (rnd() < 0.95) entries.push(rnd() < 0.5 ? stored('session.json', doc) : deflated('session.json', doc));
  for (let i = 0; i < 4; i++) if (rnd() < 0.8) entries.push(rnd() < 0.5 ? stored(`audio/a${i}.wav`, wav) : deflated(`audio/a${i}.wav`, wav));
  for (let i = often(0.05) ? 1200 : pick([0, 1, 5]); i > 0; i--) entries.push(stored(`${name()}-${i}`, new Uint8Array(int(8))));
  if (often(0.15)) entries.push(zeros(pick(['audio/a1.wav', 'audio/unused.wav']), pick([1, 64, 512])));
  // Sizes that lie, in either direction.
  if (often(0.1) && entries.length) {
    const e = entries[int(entries.length)];
    entries[entries.indexOf(e)] = { ...e, size: pick([0, 1, e.size * 2, 0xffffffff]) };
  }
  let zip = craftZip(entries);
  // Bytes flipped anywhere.
  for (let i = often(0.15) ? 1 + int(8) : 0; i > 0; i--) {
    zip = zip.slice();
    zip[int(zip.length)] ^= 1 << int(8);
  }
  if (rnd() < 0.05) zip = zip.subarray(0, int(zip.length));
  return zip;
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-fuzz-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('session files fuzzed', () => {
  it(`${CASES} seeded cases: each opens or is refused in words, quickly, with memory and stalls bounded`, { timeout: 120_000 }, async () => {
    const rnd = random(SEED);
    const tracks = new TrackStore();
    const session = new SessionStore({ dir: path.join(dir, 'session'), engine: engine(), tracks, debounceMs: 5 });
    await session.restored;
    const base = process.memoryUsage().rss;
    let peak = base;
    let last = performance.now();
    let stall = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      stall = Math.max(stall, now - last);
      last = now;
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const outcomes = { opened: 0, refused: 0 };
    try {
      for (let i = 0; i < CASES; i++) {
        const zip = fuzzCase(rnd);
        const t0 = performance.now();
        const error = await session.open(bytesSource(zip), 'x.gramophone', null).then(
          () => null,
          (e: unknown) => e,
        );
        const ms = performance.now() - t0;
        const label = `case ${i} (seed ${SEED})`;
        if (error === null) outcomes.opened++;
        else {
          outcomes.refused++;
          if (process.env.FUZZ_DEBUG) console.log(i, (error as Error).message.slice(0, 160));
          expect(error, label).toBeInstanceOf(GramophoneError);
          expect((error as GramophoneError).code, label).toBe('INVALID_INPUT');
          expect((error as Error).message, label).toMatch(/^"x\.gramophone" (is not a Gramophone session|could not be opened): [A-Za-z"]/);
          expect((error as Error).message, label).not.toMatch(/ENOENT|undefined|\[object|RangeError/);
        }
        expect(ms, label).toBeLessThan(5000);
        // Nothing is left staged, whatever the outcome.
        expect(
          fs.readdirSync(path.join(dir, 'session')).filter((f) => f.startsWith('.opening-')),
          label,
        ).toEqual([]);
      }
    } finally {
      clearInterval(timer);
    }
    // Both outcomes are exercised, so the cases are neither all broken nor all harmless.
    expect(outcomes.opened).toBeGreaterThan(3);
    expect(outcomes.refused).toBeGreaterThan(10);
    expect((peak - base) / 2 ** 20).toBeLessThan(400);
    // A document of 1,001 takes is checked in one piece (its schema), which is the longest stall here.
    expect(stall).toBeLessThan(3000);
    await session.close();
  });
});
