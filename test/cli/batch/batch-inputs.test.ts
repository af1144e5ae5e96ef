/**
 * A batch never touches its inputs and never sends one it has not checked: a row whose output
 * is one of its inputs fails in words and the input stays as it was (the rule `render` applies
 * to --out, one implementation), and a style that is not audio (a private key, say) fails before
 * the runner, which for a queue is what uploads it, ever sees it.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBatch, type JobRunner } from '../../../cli/batch/run-batch';
import type { BatchEvent } from '../../../common/batch';
import { BUILTIN_PRESETS } from '../../../common/preset';
import { toneClip } from './fixtures';

describe('a batch and its inputs', () => {
  it('refuses an output that is an input, and checks every input as audio before the runner sees it', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-batch-inputs-'));
    try {
      const out = path.join(root, 'out');
      fs.mkdirSync(out);
      const content = path.join(out, 'tune.wav');
      const style = path.join(root, 'style.wav');
      fs.writeFileSync(content, toneClip(1));
      fs.writeFileSync(style, toneClip(2));
      const key = path.join(root, 'id_ed25519');
      fs.writeFileSync(key, '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n');
      const before = fs.readFileSync(content);
      const seen: string[] = [];
      const runner: JobRunner = {
        description: 'a runner that must not be called',
        run: async (job) => {
          seen.push(job.spec.out);
          throw new Error('the runner was called');
        },
        cancelAll: async () => undefined,
      };
      const events: BatchEvent[] = [];
      const preset = BUILTIN_PRESETS[0];
      const summary = await runBatch(
        [
          { index: 1, origin: 'jobs.csv line 2', content, style, preset, out: 'tune.wav' },
          { index: 2, origin: 'jobs.csv line 3', content, style: key, preset, out: 'keyed.wav' },
        ],
        { outDir: out, formatFor: () => ({ encoding: 'pcm16', sampleRate: 'content', channels: 1 }) as never, runner, emit: (e) => events.push(e) },
      );
      expect(summary).toMatchObject({ done: 0, failed: 2 });
      expect(seen).toEqual([]);
      const failed = events.filter((e) => e.event === 'job-failed') as { out: string; error: { message: string } }[];
      expect(failed.find((f) => f.out === 'tune.wav')?.error.message).toMatch(/the output "tune\.wav" is the input ".*tune\.wav"; writing the take there would destroy it/);
      expect(failed.find((f) => f.out === 'keyed.wav')?.error.message).toMatch(/id_ed25519/);
      expect(fs.readFileSync(content).equals(before)).toBe(true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
