/**
 * The engine behind its real protocol in a separate process: info, decode, a render with
 * progress, cancel (by aborting the call), and errors as data.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fork } from 'node:child_process';
import path from 'node:path';
import { connect, type PortLike } from '../../common/rpc';
import { engineApi } from '../../common/engine-api';
import type { RenderProgress } from '../../common/audio';
import { ROOT, demoFile, tinyPreset, quickPreset } from '../helpers/demo';

const child = fork(path.join(ROOT, 'dist/engine/engine-process.js'), [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const port: PortLike = {
  postMessage: (m) => child.send(m as object),
  onMessage: (l) => {
    child.on('message', l);
    return () => child.off('message', l);
  },
};
const engine = connect(port, engineApi);
afterAll(() => child.kill());

describe('engine process', () => {
  it('reports its backends', async () => {
    const info = await engine.api.info({});
    expect(info.backends.some((b) => b.available)).toBe(true);
    expect(info.defaultBackend).toBeTruthy();
  });

  it('decodes a WAV and returns typed channels', async () => {
    const r = await engine.api.decode(demoFile('style'));
    expect(r.info.sampleRate).toBe(22050);
    expect(r.channels[0]).toBeInstanceOf(Float32Array);
    expect(r.channels[0].length).toBe(r.info.frames);
  });

  it('refuses a bad payload and a bad file as error data, and keeps serving', async () => {
    await expect(engine.api.decode({ name: 'x.wav', bytes: 'nope' } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(engine.api.decode({ name: 'x.wav', bytes: new Uint8Array(64) })).rejects.toMatchObject({ message: expect.stringContaining('x.wav') });
    expect((await engine.api.info({})).version).toBeTruthy();
  });

  it('renders with progress events, and cancels a long job', async () => {
    const events: RenderProgress[] = [];
    const off = engine.on('progress', (p) => events.push(p));
    const take = await engine.api.render({ jobId: 'p1', content: demoFile('content'), style: demoFile('style'), preset: tinyPreset() });
    expect(take.samples).toBeInstanceOf(Float32Array);
    expect(events.filter((e) => e.jobId === 'p1' && e.phase === 'optimise').length).toBeGreaterThan(3);
    const p = quickPreset();
    const abort = new AbortController();
    const long = engine.api.render(
      { jobId: 'p2', content: demoFile('content'), style: demoFile('style'), preset: { ...p, optimizer: { ...p.optimizer, iterations: 1000 } } },
      { signal: abort.signal },
    );
    await new Promise<void>((resolve) => {
      const stop = engine.on('progress', (e) => e.jobId === 'p2' && e.iteration >= 2 && (stop(), resolve()));
    });
    const t = Date.now();
    abort.abort();
    await expect(long).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(Date.now() - t).toBeLessThan(2000);
    off();
  }, 120_000);
});
