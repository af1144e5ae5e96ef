/** The render pool: overlapping renders run on separate engine processes, started when needed and stopped when idle. */
import { describe, expect, it, vi } from 'vitest';
import { RenderPool } from '../../main/render-pool';
import type { EngineHost, EngineCalls } from '../../main/engine-host';

/** A host whose renders finish when the test says, recording what it was asked. */
function fakeHost(name: string) {
  const pending: { jobId: string; resolve: () => void; signal?: AbortSignal }[] = [];
  const host = {
    name,
    pending,
    disposed: false,
    status: { state: 'ready' as const },
    call: vi.fn(),
    render: (args: { jobId: string }, o: { signal?: AbortSignal } = {}) =>
      new Promise((resolve) => pending.push({ jobId: args.jobId, resolve: () => resolve({ jobId: args.jobId, host: name }), signal: o.signal })),
    dispose() {
      host.disposed = true;
    },
  };
  return host;
}

const args = (jobId: string) => ({ jobId }) as unknown as Parameters<RenderPool['render']>[0];

describe('RenderPool', () => {
  it('runs overlapping renders on separate processes, one per slot, and queues the rest on the least loaded', async () => {
    const primary = fakeHost('primary');
    const extras: ReturnType<typeof fakeHost>[] = [];
    const pool = new RenderPool(primary as unknown as EngineCalls, () => (extras.push(fakeHost(`extra${extras.length}`)), extras[extras.length - 1] as unknown as EngineHost), 2);
    const a = pool.render(args('a'));
    const b = pool.render(args('b'));
    expect(primary.pending.map((p) => p.jobId)).toEqual(['a']);
    expect(extras).toHaveLength(1);
    expect(extras[0].pending.map((p) => p.jobId)).toEqual(['b']);
    expect(pool.load).toEqual([1, 1]);
    // A third, with both busy, goes to one of them rather than a third process.
    void pool.render(args('c'));
    expect(extras).toHaveLength(1);
    expect(pool.load.reduce((x, y) => x + y)).toBe(3);
    extras[0].pending[0].resolve();
    expect(await b).toEqual({ jobId: 'b', host: 'extra0' });
    primary.pending[0].resolve();
    expect(await a).toEqual({ jobId: 'a', host: 'primary' });
  });

  it('passes the cancel signal on, and stops an extra process after it has been idle', async () => {
    vi.useFakeTimers();
    try {
      const primary = fakeHost('primary');
      const extras: ReturnType<typeof fakeHost>[] = [];
      const pool = new RenderPool(primary as unknown as EngineCalls, () => (extras.push(fakeHost('x')), extras[extras.length - 1] as unknown as EngineHost), 4, 1000);
      const abort = new AbortController();
      const a = pool.render(args('a'));
      const b = pool.render(args('b'), { signal: abort.signal });
      expect(extras[0].pending[0].signal).toBe(abort.signal);
      extras[0].pending[0].resolve();
      await b;
      vi.advanceTimersByTime(999);
      expect(extras[0].disposed).toBe(false);
      vi.advanceTimersByTime(2);
      expect(extras[0].disposed).toBe(true);
      // The shell's own engine is never stopped by the pool.
      primary.pending[0].resolve();
      await a;
      vi.advanceTimersByTime(5000);
      expect(primary.disposed).toBe(false);
      expect(pool.size).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });
});
