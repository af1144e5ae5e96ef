import { describe, it, expect, afterEach } from 'vitest';
import { fileURLToPath } from 'node:url';
import { EngineHost, engineExitError, type EngineChild } from '../../main/engine-host';
import { nodeEngineLauncher } from '../../main/node-engine-launcher';
import { BUILTIN_PRESETS } from '../../common/preset';
import type { EngineStatus } from '../../common/contract';
import type { RenderProgress } from '../../common/audio';
import { GramophoneError } from '../../common/errors';

const FAKE = fileURLToPath(new URL('../fixtures/engine/fake-engine.ts', import.meta.url));
/** A launcher for the fake engine that remembers the last child, so a test can kill it. */
function launcher(env: Record<string, string> = {}) {
  const launch = nodeEngineLauncher({ entry: FAKE, execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: 'ignore' });
  const children: EngineChild[] = [];
  return { launch: () => children[children.push(launch()) - 1], kill: () => children.at(-1)?.kill() };
}
const preset = (iterations: number) => ({ ...BUILTIN_PRESETS[0], optimizer: { ...BUILTIN_PRESETS[0].optimizer, iterations } });
const file = (name: string) => ({ name, bytes: new Uint8Array(100) });
const req = (jobId: string, iterations = 5) => ({ jobId, content: file('c.wav'), style: file('s.wav'), preset: preset(iterations) });
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: GramophoneError) => e.code,
  );

let host: EngineHost | null = null;
afterEach(() => host?.dispose());

/** Start a long render on `engine`, cancel it 300 ms in: its outcome's code and ms from cancel to outcome. */
async function cancelMidRender(engine: EngineHost, jobId: string): Promise<{ code: string; ms: number }> {
  await engine.call('info', {});
  const abort = new AbortController();
  const p = codeOf(engine.render(req(jobId, 1000), { signal: abort.signal }));
  await new Promise((r) => setTimeout(r, 300));
  const t0 = Date.now();
  abort.abort();
  const code = await p;
  return { code, ms: Date.now() - t0 };
}

describe('EngineHost with a fake engine process', () => {
  it('renders with progress and reports status', async () => {
    const states: EngineStatus['state'][] = [];
    const progress: number[] = [];
    host = new EngineHost({ launch: launcher().launch, onStatus: (s) => states.push(s.state), onProgress: (p) => progress.push(p.iteration) });
    const take = await host.render(req('a', 5));
    expect(take.samples).toBeInstanceOf(Float32Array);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect(states).toContain('ready');
    expect(states).toContain('busy');
    expect(host.status.state).toBe('ready');
  });

  it('cancels within the deadline when the engine cooperates', async () => {
    host = new EngineHost({ launch: launcher({ FAKE_STEP_MS: '50' }).launch });
    const { code, ms } = await cancelMidRender(host, 'c');
    expect(code).toBe('CANCELLED');
    expect(ms).toBeLessThan(2000);
    expect(host.crashCount).toBe(0);
    expect(host.status.state).toBe('ready');
  });

  it('kills an engine that ignores cancel, reports CANCELLED, and comes back', async () => {
    host = new EngineHost({ launch: launcher({ FAKE_IGNORE_CANCEL: '1', FAKE_STEP_MS: '50' }).launch, cancelDeadlineMs: 300 });
    const { code, ms } = await cancelMidRender(host, 'k');
    expect(code).toBe('CANCELLED');
    expect(ms).toBeLessThan(2000);
    const info = await host.call('info', {});
    expect(info.version).toBe('fake');
  });

  it('rejects pending calls with ENGINE_CRASHED on every kill and recovers, 10 times', async () => {
    const engine = launcher({ FAKE_STEP_MS: '30' });
    let onProgress = () => {};
    host = new EngineHost({ launch: engine.launch, backoffMs: 20, onProgress: () => onProgress() });
    const results: string[] = [];
    for (let i = 0; i < 10; i++) {
      const progressed = new Promise<void>((resolve) => (onProgress = resolve));
      const p = codeOf(host.render(req(`x${i}`, 1000)));
      await progressed;
      engine.kill();
      results.push(await p);
    }
    expect(results).toEqual(Array(10).fill('ENGINE_CRASHED'));
    const take = await host.render(req('after', 3));
    expect(take.jobId).toBe('after');
    expect(host.crashCount).toBe(10);
  });

  it('gives up after repeated failed starts and says so', async () => {
    const states: EngineStatus[] = [];
    host = new EngineHost({ launch: launcher({ FAKE_CRASH_ON_START: '1' }).launch, backoffMs: 10, maxFailedStarts: 3, onStatus: (s) => states.push(s) });
    const code = await codeOf(host.call('info', {}));
    expect(code).toBe('ENGINE_CRASHED');
    expect(host.status.state).toBe('failed');
    expect(host.status.message).toMatch(/3 times/);
    expect(host.crashCount).toBe(3);
  });
});

describe('EngineHost says how the engine ended', () => {
  const messageOf = (p: Promise<unknown>) =>
    p.then(
      () => ({ code: 'ok', message: '' }),
      (e: GramophoneError) => ({ code: e.code, message: e.message }),
    );

  it('names the signal that killed it', async () => {
    const engine = launcher({ FAKE_STEP_MS: '30' });
    let onProgress = () => {};
    host = new EngineHost({ launch: engine.launch, onProgress: () => onProgress(), memorySampleMs: 20 });
    const progressed = new Promise<void>((resolve) => (onProgress = resolve));
    const p = messageOf(host.render(req('sig', 1000)));
    await progressed;
    engine.kill();
    const e = await p;
    expect(e.code).toBe('ENGINE_CRASHED');
    expect(e.message).toMatch(/killed by SIGKILL/);
    expect(e.message).not.toMatch(/memory/);
  });

  it('on a SIGKILL near the memory budget: OUT_OF_MEMORY, too large for memory, render in chunks', async () => {
    // The render holds 200 MB against a 200 MB budget; the kill stands in for the kernel's OOM killer.
    const engine = launcher({ FAKE_STEP_MS: '30', FAKE_MEMORY_BUDGET: String(200 * 2 ** 20), FAKE_RENDER_HOLDS_BYTES: String(200 * 2 ** 20) });
    let onProgress = () => {};
    host = new EngineHost({ launch: engine.launch, onProgress: () => onProgress(), memorySampleMs: 20 });
    await host.call('info', {});
    const progressed = new Promise<void>((resolve) => (onProgress = resolve));
    const p = messageOf(host.render(req('oom', 1000)));
    await progressed;
    await new Promise((r) => setTimeout(r, 150)); // a few memory samples
    engine.kill();
    const e = await p;
    expect(e.code).toBe('OUT_OF_MEMORY');
    expect(e.message).toMatch(/ran out of memory \(killed by SIGKILL at \d+\.\d MB of its 200\.0 MB budget\)/);
    expect(e.message).toMatch(/too large to render in one piece.*in chunks/);
    // It comes back like after any crash.
    expect((await host.call('info', {})).version).toBe('fake');
  });

  it('words each way of ending', () => {
    const calm = { peak: 50e6, budget: 1e9, machineLow: false };
    expect(engineExitError(3, null, calm)).toMatchObject({ code: 'ENGINE_CRASHED', message: expect.stringMatching(/exited with code 3/) });
    expect(engineExitError(null, 'SIGSEGV', calm).message).toMatch(/killed by SIGSEGV/);
    expect(engineExitError(null, 'SIGKILL', { ...calm, machineLow: true }).code).toBe('OUT_OF_MEMORY');
    // Near the budget, but not a kill: an ordinary crash.
    expect(engineExitError(null, 'SIGSEGV', { ...calm, peak: 0.95e9 }).code).toBe('ENGINE_CRASHED');
  });
});

describe('EngineHost cancel before the engine is up', () => {
  it('cancels a render still waiting for the engine at once, without killing anything', async () => {
    const progress: RenderProgress[] = [];
    host = new EngineHost({ launch: launcher({ FAKE_STEP_MS: '50' }).launch, onProgress: (p) => progress.push(p) });
    const abort = new AbortController();
    const p = codeOf(host.render(req('early', 1000), { signal: abort.signal }));
    const t0 = Date.now();
    abort.abort();
    expect(await p).toBe('CANCELLED');
    expect(Date.now() - t0).toBeLessThan(200);
    expect((await host.call('info', {})).version).toBe('fake');
    expect(host.crashCount).toBe(0);
    // It never reached the engine.
    await new Promise((r) => setTimeout(r, 150));
    expect(progress).toEqual([]);
  });
});
