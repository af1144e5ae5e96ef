/**
 * Batch bookkeeping without rendering: counts and ETA from events, the views' output, the
 * results file read back after a crash, the folder lock, and the queue's failure strings.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BatchEvent } from '../../../common/batch';
import { BatchTracker, batchEta, formatDuration, jobFraction, jsonView, plainView, summaryLine, terminalView } from '../../../cli/batch/progress-view';
import { lockFolder, readResults, removeStaleTemporaries, resultsWriter } from '../../../cli/batch/results-file';
import { failureText, parseFailure, queueJobId, versionRefusal } from '../../../cli/batch/queue-protocol';
import { defaultProcesses } from '../../../cli/batch/engine-pool';

const start: BatchEvent = { event: 'batch-start', jobs: 5, toRun: 4, skipped: 1, runner: '2 local engine processes', out: '/o' };

describe('progress', () => {
  it('weighs a job by phase, the optimiser being most of it', () => {
    expect(jobFraction(undefined)).toBe(0);
    expect(jobFraction({ phase: 'analyse', iteration: 0, total: 0 })).toBe(0);
    expect(jobFraction({ phase: 'optimise', iteration: 20, total: 40 })).toBeCloseTo(0.425);
    expect(jobFraction({ phase: 'optimise', iteration: 41, total: 40 })).toBeCloseTo(0.85);
    expect(jobFraction({ phase: 'reconstruct', iteration: 32, total: 32 })).toBeCloseTo(0.99);
  });

  it('estimates the time left from the work done per second', () => {
    expect(batchEta(10, 0, 4, [])).toBeUndefined();
    // 2 jobs in 10 s, 2 left → 10 s.
    expect(batchEta(10, 2, 2, [])).toBeCloseTo(10);
    // One finished and two half done in 10 s (2 jobs' worth); 1 queued + two halves left → 10 s.
    expect(batchEta(10, 1, 1, [0.5, 0.5])).toBeCloseTo(10);
    expect(batchEta(10, 1, 0, [0.5, 0.5])).toBeCloseTo(5);
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(185)).toBe('3m05s');
    expect(formatDuration(3725)).toBe('1h02m');
  });

  it('counts jobs from events, failures found before the start apart', () => {
    let now = 100;
    const t = new BatchTracker(() => now);
    t.apply({ event: 'job-failed', index: 5, out: 'e.wav', error: { code: 'IO_ERROR', message: 'no such file' } });
    t.apply(start);
    t.apply({ event: 'job-start', index: 1, out: 'a.wav', worker: 'w' });
    t.apply({ event: 'job-start', index: 2, out: 'b.wav', worker: 'w' });
    t.apply({ event: 'job-progress', index: 1, phase: 'optimise', iteration: 20, total: 20 });
    now = 110;
    t.apply({ event: 'job-done', index: 2, out: 'b.wav', worker: 'w', seconds: 9, metrics: {} as never });
    expect([t.done, t.failed, t.failedEarly, t.remaining, t.running.size]).toEqual([1, 1, 1, 3, 1]);
    // 1.85 jobs of work in 10 s; left: 2 queued + 0.15 of the running one.
    expect(t.eta()).toBeCloseTo((2.15 / 1.85) * 10);
  });

  it('prints JSON lines with a batch-progress line after each finished job', () => {
    const out: string[] = [];
    const v = jsonView((l) => out.push(l));
    v.event(start);
    v.event({ event: 'job-start', index: 1, out: 'a.wav', worker: 'w' });
    v.event({ event: 'job-failed', index: 1, out: 'a.wav', error: { code: 'UNSUPPORTED_AUDIO', message: 'a.wav: not a WAV file' } });
    const parsed = out.map((l) => JSON.parse(l));
    expect(parsed.map((e) => e.event)).toEqual(['batch-start', 'job-start', 'job-failed', 'batch-progress']);
    expect(parsed[3]).toMatchObject({ done: 0, failed: 1, remaining: 3, running: 0 });
  });

  it('prints plain lines and a summary that says how to retry', () => {
    const out: string[] = [];
    const v = plainView((l) => out.push(l));
    v.event(start);
    v.event({ event: 'job-refused', index: 2, out: 'b.wav', worker: 'h/1', reason: 'runs 0.2.0' });
    const done: Extract<BatchEvent, { event: 'batch-done' }> = {
      event: 'batch-done',
      done: 2,
      failed: 1,
      skipped: 1,
      cancelled: 1,
      seconds: 65,
      failedJobs: [{ index: 3, out: 'c.wav', error: { code: 'IO_ERROR', message: 'gone' } }],
    };
    v.event(done);
    expect(out[0]).toBe('Batch of 5 jobs into /o: 4 to render on 2 local engine processes, 1 already done');
    expect(out[1]).toBe('[2] b.wav refused by h/1: runs 0.2.0');
    expect(summaryLine(done)).toMatch(/^Batch finished in 1m05s: 2 done, 1 failed, 1 already done, 1 cancelled\. Run the same command again.*\n {2}\[3\] c\.wav: gone$/);
  });

  it('redraws a block on a terminal: a batch bar and one line per running job', async () => {
    let text = '';
    const v = terminalView({ write: (s: string) => (text += s), columns: 120 });
    v.event(start);
    v.event({ event: 'job-start', index: 1, out: 'a.wav', worker: 'local pid 7' });
    v.event({ event: 'job-progress', index: 1, phase: 'optimise', iteration: 3, total: 6, eta: 2 });
    await new Promise((r) => setTimeout(r, 150));
    v.close();
    expect(text).toMatch(/batch [█░]{24} 0\/4 · 0 done · 0 failed · 4 left/);
    expect(text).toMatch(/\[1\] a\.wav\s+optimise\s+[█░]{12} 3\/6 ETA 2s \(local pid 7\)/);
  });
});

describe('local pool size', () => {
  it('is one engine process per core while each can have 2 GiB', () => {
    expect(defaultProcesses(2, 23 * 1024 ** 3)).toBe(2);
    expect(defaultProcesses(16, 8 * 1024 ** 3)).toBe(4);
    expect(defaultProcesses(1, 64 * 1024 ** 3)).toBe(1);
    expect(defaultProcesses(4, 1024 ** 3)).toBe(1);
  });
});

describe('results file and folder', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gramophone-results-'));
  const line = (out: string, status: 'done' | 'failed', key = 'a'.repeat(64)) => ({
    index: 1,
    out,
    status,
    key,
    content: { path: '/c.wav', name: 'c.wav', sha256: 'c'.repeat(64) },
    style: { path: '/s.wav', name: 's.wav', sha256: 'd'.repeat(64) },
    preset: {},
    format: { encoding: 'pcm24', sampleRate: 'engine', channels: 1 } as const,
    engineVersion: 'x',
    finishedAt: 'now',
  });

  it('keeps the last line per output and passes over a line cut short by a kill', async () => {
    writeFileSync(path.join(dir, 'results.jsonl'), JSON.stringify(line('a.wav', 'failed')) + '\n' + JSON.stringify(line('a.wav', 'done')) + '\n{"index":2,"out":"b.wa');
    const append = resultsWriter(dir);
    await append(line('c.wav', 'done'));
    const r = await readResults(dir);
    expect([...r.keys()].sort()).toEqual(['a.wav', 'c.wav']);
    expect(r.get('a.wav')!.status).toBe('done');
  });

  it('locks a folder against a second batch, takes over a dead one’s lock, and removes stale temporaries', async () => {
    const unlock = await lockFolder(dir);
    await expect(lockFolder(dir)).resolves.toBeTypeOf('function'); // the same process may re-enter
    await unlock();
    writeFileSync(path.join(dir, '.gramophone-batch.lock'), JSON.stringify({ pid: 1, host: 'elsewhere' }));
    await expect(lockFolder(dir)).rejects.toThrow(/A batch on elsewhere/);
    writeFileSync(path.join(dir, '.gramophone-batch.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname() }));
    const release = await lockFolder(dir);
    await release();
    expect(existsSync(path.join(dir, '.gramophone-batch.lock'))).toBe(false);
    writeFileSync(path.join(dir, '.take.wav.123-abc-def.tmp'), 'partial');
    writeFileSync(path.join(dir, 'keep.wav'), 'x');
    expect(await removeStaleTemporaries(dir)).toBe(1);
    expect(readdirSync(dir)).toContain('keep.wav');
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
  });
});

describe('queue protocol', () => {
  it('refuses other versions, and carries error codes through BullMQ’s one string', () => {
    expect(versionRefusal('0.1.0', '0.1.0')).toBeNull();
    expect(versionRefusal('0.1.0', '0.2.0')).toMatch(/runs Gramophone 0.2.0 and the job was made by 0.1.0/);
    expect(parseFailure(failureText({ code: 'UNSUPPORTED_AUDIO', message: 'x.wav: not audio\nsecond line' }))).toMatchObject({ code: 'UNSUPPORTED_AUDIO', message: 'x.wav: not audio\nsecond line' });
    expect(parseFailure('job stalled more than allowable limit')).toMatchObject({ code: 'ENGINE_CRASHED' });
    expect(parseFailure('weird')).toMatchObject({ code: 'INTERNAL', message: 'The queue reports: weird' });
    expect(queueJobId('f'.repeat(64), '0.1.0')).toMatch(/^take-0\.1\.0-f{64}$/);
  });
});
