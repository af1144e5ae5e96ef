/**
 * The engine process runs below normal priority, so a render never takes a core from the
 * page's frames or its audio: forked as the local server forks it, its nice value (Linux's
 * /proc/PID/stat) is 10 once it answers, while this process's stays what it was (0 here, so
 * an engine left at its parent's priority fails).
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import { connect } from '../../common/rpc';
import { engineApi } from '../../common/engine-api';
import { nodeEngineLauncher } from '../../main/node-engine-launcher';
import { REAL_ENGINE } from './helpers/shell-fixture';

/** The nice value of process `pid` from /proc/PID/stat (field 19, counted after the name). */
function niceOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[16]);
}

describe.skipIf(process.platform !== 'linux')('engine priority', () => {
  it('runs at nice 10, below the shell that forked it', async () => {
    const child = nodeEngineLauncher({ entry: REAL_ENGINE, stdio: 'ignore' })() as ReturnType<ReturnType<typeof nodeEngineLauncher>> & { pid?: number };
    const rpc = connect(child.port, engineApi);
    try {
      await rpc.api.info({});
      expect(niceOf(child.pid!)).toBe(os.constants.priority.PRIORITY_BELOW_NORMAL);
      expect(niceOf(process.pid)).toBe(os.getPriority());
    } finally {
      rpc.close();
      child.kill();
    }
  }, 60_000);
});
