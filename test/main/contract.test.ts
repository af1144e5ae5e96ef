/**
 * The one contract: every method has schemas and a handler, and malformed payloads are
 * refused with INVALID_INPUT by the same `dispatch` every transport uses, without throwing.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { z } from 'zod';
import { dispatch } from '../../common/rpc';
import { rendererApi, RENDERER_METHODS, RENDERER_EVENTS } from '../../common/contract';
import { BUILTIN_PRESETS } from '../../common/preset';
import { makeShell } from './helpers/shell-fixture';

const fx = makeShell();
afterAll(() => fx.shell.dispose());
const call = (method: unknown, args: unknown) => dispatch(rendererApi, fx.shell.handlers, method, args);

describe('renderer contract', () => {
  it('declares schemas for every method and event, and main has exactly one handler per method', () => {
    for (const m of RENDERER_METHODS) {
      const spec = rendererApi.methods[m];
      expect(spec.args, m).toBeInstanceOf(z.ZodType);
      expect(spec.result, m).toBeInstanceOf(z.ZodType);
      expect(typeof (fx.shell.handlers as Record<string, unknown>)[m], m).toBe('function');
    }
    expect(Object.keys(fx.shell.handlers).sort()).toEqual([...RENDERER_METHODS].sort());
    expect(RENDERER_EVENTS).toEqual(expect.arrayContaining(['renderProgress', 'engineStatus']));
  });

  it('refuses non-object and polluted arguments for every method', async () => {
    const junk = [undefined, null, 42, 'x', [], true, JSON.parse('{"__proto__": {"polluted": 1}}'), { unexpected: 1 }, { constructor: { prototype: {} } }];
    for (const m of RENDERER_METHODS) {
      for (const args of junk) {
        const r = await call(m, args);
        expect(r.ok, `${m}(${JSON.stringify(args)})`).toBe(false);
        if (!r.ok) expect(r.error.code).toBe('INVALID_INPUT');
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses wrong types, NaN, infinities, huge strings and arrays', async () => {
    const p = BUILTIN_PRESETS[0];
    const cases: [unknown, unknown][] = [
      ['getSpectrogram', { trackId: 'a', nFft: NaN, hop: 256 }],
      ['getSpectrogram', { trackId: 'a', nFft: 1000, hop: 256 }],
      ['getSpectrogram', { trackId: 'a', nFft: 1024, hop: Infinity }],
      ['importAudio', { lane: 'content', name: 'a.wav', bytes: [1, 2, 3] }],
      ['importAudio', { lane: 'drums', name: 'a.wav', bytes: new Uint8Array(4) }],
      ['importAudio', { lane: 'content', name: 'x'.repeat(10_000), bytes: new Uint8Array(4) }],
      ['savePreset', { preset: { ...p, weights: { ...p.weights, style: NaN } } }],
      ['savePreset', { preset: { ...p, weights: { ...p.weights, style: Infinity } } }],
      ['savePreset', { preset: { ...p, name: 'n'.repeat(1_000_000) } }],
      ['savePreset', { preset: { ...p, extra: true } }],
      ['render', { jobId: '../../etc', contentId: 'a', styleId: 'b', preset: p }],
      ['render', { jobId: 'j', contentId: 'a', styleId: 'b', preset: p, region: { start: 5, end: 1 } }],
      ['exportTakes', { trackIds: Array(100_000).fill('a'), format: { encoding: 'pcm16', sampleRate: 'engine', channels: 1 } }],
      ['exportTakes', { trackIds: ['a'], format: { encoding: 'mp3', sampleRate: 'engine', channels: 1 } }],
      ['exportPresets', { names: [] }],
      ['removeTrack', { trackId: 'a/b' }],
      ['nosuchMethod', {}],
      ['__proto__', {}],
      ['constructor', {}],
      [42, {}],
    ];
    for (const [m, args] of cases) {
      const r = await call(m, args);
      expect(r.ok, `${String(m)}`).toBe(false);
      if (!r.ok) {
        expect(r.error.code, String(m)).toBe('INVALID_INPUT');
        expect(r.error.message.length).toBeLessThanOrEqual(600);
      }
    }
    // Still serving.
    const list = await call('listPresets', {});
    expect(list.ok).toBe(true);
  });

  it('turns handler failures into error data (unknown track, built-in preset)', async () => {
    const r1 = await call('getAudio', { trackId: 'missing' });
    expect(r1).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const r2 = await call('deletePreset', { name: BUILTIN_PRESETS[0].name });
    expect(r2).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/built-in/) } });
  });
});
