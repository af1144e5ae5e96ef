/**
 * Memory under a container's limit: the budget and the out-of-memory check take the cgroup's
 * limit and what is left under it when it is lower than the machine's, and the machine's
 * otherwise ("max", v1's huge "no limit", no cgroup files).
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryLimits } from '../../../engine/io/memory';
import { memoryBudget } from '../../../engine/render/budget';
import { engineExitError } from '../../../main/engine-host';

const GiB = 2 ** 30;
const machine = { total: 24 * GiB, available: 20 * GiB };

function cgroup(limit: string | null, usage: string | null) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-cgroup-'));
  if (limit !== null) fs.writeFileSync(path.join(dir, 'memory.max'), `${limit}\n`);
  if (usage !== null) fs.writeFileSync(path.join(dir, 'memory.current'), `${usage}\n`);
  return { limit: [path.join(dir, 'memory.max')], usage: [path.join(dir, 'memory.current')] };
}

describe('memory under a container limit', () => {
  it('takes the container limit and what is left under it when lower than the machine', () => {
    const limits = memoryLimits(cgroup(String(2 * GiB), String(1.5 * GiB)), machine);
    expect(limits).toEqual({ total: 2 * GiB, available: 0.5 * GiB, limitedBy: 'container' });
    // The render budget is a share of that, not of the machine's 20 GiB.
    expect(memoryBudget({}, limits.available)).toBe(Math.floor(0.6 * 0.5 * GiB));
  });

  it('takes the machine when there is no lower limit', () => {
    for (const files of [cgroup('max', '123'), cgroup(String(2 ** 63 - 1), '0'), cgroup(null, null), cgroup(String(64 * GiB), String(GiB))]) {
      expect(memoryLimits(files, machine)).toEqual({ ...machine, limitedBy: 'machine' });
    }
  });

  it('an engine killed with the container nearly full is named an out-of-memory kill', () => {
    const e = engineExitError(null, 'SIGKILL', { peak: 1.9 * GiB, budget: 0, machineLow: true });
    expect(e.code).toBe('OUT_OF_MEMORY');
    expect(e.message).toMatch(/ran out of memory \(killed by SIGKILL at 1\.9 GB\)/);
  });
});
