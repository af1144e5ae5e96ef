/**
 * Distributed batches through BullMQ on a real redis-server: two `gramophone worker`
 * processes and a submitting `gramophone batch --queue`, all built CLIs in their own
 * processes. Takes must be bit-identical to the local pool's; a worker killed mid-job must
 * not lose its job; a worker of another version must refuse; a Redis restart mid-batch
 * must not stop the batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { RedisServer } from '../../helpers/redis-server';
import { events, startCli, writeFixtures, type CliRun } from './fixtures';
import { QUEUE_NAME, QUEUE_PREFIX, blobKey } from '../../../cli/batch/queue-protocol';

const root = mkdtempSync(path.join(tmpdir(), 'gramophone-queue-'));
const fx = writeFixtures(root, 2, 1);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const wavs = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.wav'))
    .sort();

let redis: RedisServer;
const workers: CliRun[] = [];

/** Start a worker and wait until it takes jobs. */
async function startWorker(): Promise<CliRun> {
  const w = startCli(['worker', '--queue', redis.url, '--processes', '1', '--stall-timeout', '2', '--json']);
  workers.push(w);
  // Generous: on a machine shared with other test suites a start can take many seconds.
  await w.waitFor((l) => l.includes('"event":"worker-ready"'), 90_000);
  return w;
}
const workerName = (w: CliRun) => String(events(w).find((e) => e.event === 'worker-ready')!.worker);

const grid = (out: string, extra: string[] = []) => ['batch', '--content', ...fx.contents, '--style', fx.styles[0], '--preset-file', fx.preset, '--beta', '0.5,1,2', '--out', out, '--json', ...extra];

beforeAll(async () => {
  redis = await RedisServer.start();
  await Promise.all([startWorker(), startWorker()]);
}, 180_000);

afterAll(async () => {
  for (const w of workers) w.child.kill('SIGKILL');
  await redis?.dispose();
});

describe('gramophone batch --queue with gramophone worker', () => {
  it('completes a 6-job grid on two workers with takes bit-identical to the local pool’s, each file stored once', async () => {
    const local = startCli(grid(path.join(root, 'local'), ['--processes', '2']));
    const queued = startCli(grid(path.join(root, 'queued'), ['--queue', redis.url]));
    const [lc, qc] = await Promise.all([local.done, queued.done]);
    expect(lc, local.stderr()).toBe(0);
    expect(qc, queued.stderr()).toBe(0);
    const done = events(queued).filter((e) => e.event === 'job-done');
    expect(done).toHaveLength(6);
    // Both workers took jobs: the jobs were spread.
    expect(new Set(done.map((e) => e.worker))).toEqual(new Set(workers.slice(0, 2).map(workerName)));
    expect(events(queued).some((e) => e.event === 'job-progress' && e.phase === 'optimise')).toBe(true);
    const names = wavs(path.join(root, 'local'));
    expect(names).toHaveLength(6);
    expect(wavs(path.join(root, 'queued'))).toEqual(names);
    for (const n of names) expect(sha(path.join(root, 'queued', n)), n).toBe(sha(path.join(root, 'local', n)));
    // Three inputs and six takes, each stored once under its hash.
    const r = new Redis(redis.url);
    const keys = await r.keys(`${QUEUE_PREFIX}:blob:*`);
    expect(keys.sort()).toEqual([...[...fx.contents, fx.styles[0]].map(sha), ...names.map((n) => sha(path.join(root, 'queued', n)))].map(blobKey).sort());
    r.disconnect();
    // Run again: every take is there already.
    const again = startCli(grid(path.join(root, 'queued'), ['--queue', redis.url]));
    expect(await again.done).toBe(0);
    expect(events(again).at(-1)).toMatchObject({ event: 'batch-done', done: 0, skipped: 6 });
  }, 90_000);

  it('gives the job of a worker killed mid-job to the other worker; no take is lost or written twice', async () => {
    const out = path.join(root, 'killed');
    const run = startCli(['batch', '--content', ...fx.contents, '--style', fx.styles[0], '--preset-file', fx.preset, '--iterations', '60', '--out', out, '--json', '--queue', redis.url]);
    // Wait until both workers have a job, then kill the first mid-render.
    await run.waitFor(() => events(run).filter((e) => e.event === 'job-start').length >= 2, 30_000);
    const [victim, survivor] = workers;
    const victimName = workerName(victim);
    await run.waitFor((l) => l.includes('"event":"job-progress"') && l.includes('"phase":"optimise"'));
    victim.child.kill('SIGKILL');
    expect(await run.done, run.stderr()).toBe(0);
    const evs = events(run);
    const done = evs.filter((e) => e.event === 'job-done');
    expect(done).toHaveLength(2);
    expect(done.every((e) => e.worker === workerName(survivor))).toBe(true);
    // The job was started by the victim, then again by the survivor.
    expect(evs.filter((e) => e.event === 'job-start' && e.worker === victimName)).toHaveLength(1);
    expect(evs.filter((e) => e.event === 'job-start')).toHaveLength(3);
    expect(wavs(out)).toHaveLength(2);
    const lines = readFileSync(path.join(out, 'results.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    workers.splice(0, 1);
    await startWorker();
  }, 180_000);

  it('a worker of another version refuses a job, saying why, and leaves it for a worker of that version', async () => {
    const connection = { url: redis.url, maxRetriesPerRequest: null };
    const queue = new Queue(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
    const qe = new QueueEvents(QUEUE_NAME, { connection, prefix: QUEUE_PREFIX });
    await qe.waitUntilReady();
    const refused = new Promise<{ worker: string; reason: string }>((resolve) =>
      qe.on('progress', ({ data }) => (data as { kind?: string }).kind === 'refused' && resolve(data as { worker: string; reason: string })),
    );
    const file = { name: 'a.wav', sha256: 'a'.repeat(64), size: 10 };
    const job = await queue.add('render', {
      engineVersion: '9.9.9-other',
      key: 'b'.repeat(64),
      content: file,
      style: file,
      preset: JSON.parse(readFileSync(fx.preset, 'utf8')),
      format: { encoding: 'pcm24', sampleRate: 'engine', channels: 1 },
    });
    const r = await refused;
    expect(r.reason).toMatch(/runs Gramophone 0\.1\.0 and the job was made by 9\.9\.9-other; only a 9\.9\.9-other worker reproduces its take/);
    // Handed back: not active, not completed, not failed (it says "refused" just before it moves).
    let state = await job.getState();
    for (let i = 0; i < 20 && state === 'active'; i++) {
      await new Promise((res) => setTimeout(res, 100));
      state = await job.getState();
    }
    expect(['delayed', 'waiting']).toContain(state);
    const refusals = workers.flatMap((w) => events(w)).filter((e) => e.event === 'job-refused');
    expect(refusals.length).toBeGreaterThan(0);
    await job.remove();
    await qe.close();
    await queue.close();
  }, 30_000);

  it('Ctrl-C on the submitter withdraws waiting jobs and cancels the running ones on the workers', async () => {
    const out = path.join(root, 'cancelled');
    const run = startCli(grid(out, ['--queue', redis.url, '--iterations', '400']));
    await run.waitFor((l) => l.includes('"event":"job-progress"') && l.includes('"phase":"optimise"'), 30_000);
    run.child.kill('SIGINT');
    expect(await run.done).toBe(130);
    expect(events(run).at(-1)).toMatchObject({ event: 'batch-done', done: 0, cancelled: 6 });
    expect(readdirSync(out).filter((f) => f.endsWith('.wav') || f.startsWith('.'))).toEqual([]);
    const r = new Redis(redis.url);
    for (let i = 0; i < 50 && (await r.llen(`${QUEUE_PREFIX}:${QUEUE_NAME}:active`)) > 0; i++) await new Promise((res) => setTimeout(res, 100));
    expect(await r.llen(`${QUEUE_PREFIX}:${QUEUE_NAME}:active`)).toBe(0);
    expect(await r.llen(`${QUEUE_PREFIX}:${QUEUE_NAME}:wait`)).toBe(0);
    r.disconnect();
    const cancelledOnWorkers = workers.flatMap((w) => events(w)).filter((e) => e.event === 'job-failed' && /cancelled/i.test(JSON.stringify(e.error)));
    expect(cancelledOnWorkers.length).toBeGreaterThan(0);
  }, 60_000);

  it('survives Redis restarting empty mid-batch: the lost jobs are submitted again and the batch completes', async () => {
    const out = path.join(root, 'restart');
    const run = startCli(grid(out, ['--queue', redis.url, '--iterations', '30']));
    await run.waitFor((l) => l.includes('"event":"job-done"'), 60_000);
    await redis.restart();
    expect(await run.done, run.stderr()).toBe(0);
    const evs = events(run);
    expect(evs.filter((e) => e.event === 'job-done')).toHaveLength(6);
    const warnings = evs.filter((e) => e.event === 'warning').map((e) => String(e.message));
    expect(warnings.some((w) => /no longer in the queue .*submitted again/.test(w))).toBe(true);
    expect(wavs(out)).toHaveLength(6);
    const lines = readFileSync(path.join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.status === 'done')).toHaveLength(6);
  }, 120_000);
});
