import { describe, it, expect, afterEach } from 'vitest';
import { fileURLToPath } from 'node:url';
import { EngineHost } from '../../main/engine-host';
import { nodeEngineLauncher } from '../../main/node-engine-launcher';
import { BUILTIN_PRESETS } from '../../common/preset';
import type { EngineStatus } from '../../common/contract';
import { GramophoneError } from '../../common/errors';

const FAKE = fileURLToPath(new URL('../fixtures/engine/fake-engine.ts', import.meta.url));
const launcher = (env: Record<string, string> = {}) =>
  nodeEngineLauncher({ entry: FAKE, execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: 'ignore' });
const preset = (iterations: number) => ({ ...BUILTIN_PRESETS[0], optimizer: { ...BUILTIN_PRESETS[0].optimizer, iterations } });
const file = (name: string) => ({ name, bytes: new Uint8Array(100) });
const req = (jobId: string, iterations = 5) => ({ jobId, content: file('c.wav'), style: file('s.wav'), preset: preset(iterations) });
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: GramophoneError) => e.code);

let host: EngineHost | null = null;
afterEach(() => host?.dispose());

describe('EngineHost with a fake engine process', () => {
  it('renders with progress and reports status', async () => {
    const states: EngineStatus['state'][] = [];
    host = new EngineHost({ launch: launcher(), onStatus: (s) => states.push(s.state) });
    const progress: number[] = [];
    const take = await host.render(req('a', 5), (p) => progress.push(p.iteration));
    expect(take.samples).toBeInstanceOf(Float32Array);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect(states).toContain('ready');
    expect(states).toContain('busy');
    expect(host.status.state).toBe('ready');
  });

  it('cancels within the deadline when the engine cooperates', async () => {
    host = new EngineHost({ launch: launcher({ FAKE_STEP_MS: '50' }) });
    const p = codeOf(host.render(req('c', 1000)));
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    await host.cancel('c');
    expect(await p).toBe('CANCELLED');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(host.crashCount).toBe(0);
  });

  it('kills an engine that ignores cancel, reports CANCELLED, and comes back', async () => {
    host = new EngineHost({ launch: launcher({ FAKE_IGNORE_CANCEL: '1', FAKE_STEP_MS: '50' }), cancelDeadlineMs: 300 });
    const p = codeOf(host.render(req('k', 1000)));
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    await host.cancel('k');
    expect(await p).toBe('CANCELLED');
    expect(Date.now() - t0).toBeLessThan(2000);
    const info = await host.call('info', {});
    expect(info.version).toBe('fake');
  });

  it('rejects pending calls with ENGINE_CRASHED on every kill and recovers, 10 times', async () => {
    host = new EngineHost({ launch: launcher({ FAKE_STEP_MS: '30' }), backoffMs: 20 });
    for (let i = 0; i < 10; i++) {
      const progressed = new Promise<void>((resolve) => {
        const p = host!.render(req(`x${i}`, 1000), () => resolve());
        void codeOf(p).then((c) => results.push(c));
      });
      await progressed;
      host.killEngineForTest();
      await new Promise((r) => setTimeout(r, 10));
      while (results.length <= i) await new Promise((r) => setTimeout(r, 10));
    }
    expect(results).toEqual(Array(10).fill('ENGINE_CRASHED'));
    const take = await host.render(req('after', 3));
    expect(take.jobId).toBe('after');
    expect(host.crashCount).toBe(10);
  });
  const results: string[] = [];

  it('gives up after repeated failed starts and says so', async () => {
    const states: EngineStatus[] = [];
    host = new EngineHost({ launch: launcher({ FAKE_CRASH_ON_START: '1' }), backoffMs: 10, maxFailedStarts: 3, onStatus: (s) => states.push(s) });
    const code = await codeOf(host.call('info', {}));
    expect(code).toBe('ENGINE_CRASHED');
    expect(host.status.state).toBe('failed');
    expect(host.status.message).toMatch(/3 times/);
    expect(host.crashCount).toBe(3);
  });
});

describe('EngineHost cancel before the engine is up', () => {
  it('cancels a render still waiting for the engine at once, without killing anything', async () => {
    host = new EngineHost({ launch: launcher({ FAKE_STEP_MS: '50' }) });
    const p = codeOf(host.render(req('early', 1000)));
    const t0 = Date.now();
    await host.cancel('early');
    expect(await p).toBe('CANCELLED');
    expect(Date.now() - t0).toBeLessThan(200);
    expect((await host.call('info', {})).version).toBe('fake');
    expect(host.crashCount).toBe(0);
  });
});
