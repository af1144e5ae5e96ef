/** Opening a batch folder through main's handler (the real engine decodes it): its takes join the lanes, named as the batch named them. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeBatchFolder } from '../helpers/batch-folder';
import { makeShell } from './helpers/shell-fixture';
import { rendererApi } from '../../common/contract';

const fixture = makeShell({ engine: 'real' });
afterAll(() => {
  fixture.shell.dispose();
  rmSync(fixture.root, { recursive: true, force: true });
});

describe('openBatchFolder', () => {
  it('adds the done takes named as the batch named them, and refuses a folder that is not a batch or no path in the browser, in words', async () => {
    const dir = path.join(fixture.exportDir, 'a batch');
    mkdirSync(dir, { recursive: true });
    writeBatchFolder(
      dir,
      [1, 2].map((n) => new Float32Array(22050).map((_, i) => 0.2 * Math.sin(i / (3 * n)))),
    );
    const r = await fixture.shell.handlers.openBatchFolder({ path: 'a batch' }, { signal: new AbortController().signal } as never);
    // What crosses to the page is what the contract says.
    expect(rendererApi.methods.openBatchFolder.result.safeParse(r).error?.issues ?? []).toEqual([]);
    expect(r!.takes.map((t) => [t.label, t.track.info.name, t.track.take!.preset.network.seed])).toEqual([
      ['seed-1', 'Take 1 - seed-1', 1],
      ['seed-2', 'Take 2 - seed-2', 2],
    ]);
    expect(r!.takes[0].track.info.loudness?.lufs).toEqual(expect.any(Number));
    await expect(fixture.shell.handlers.openBatchFolder({ path: 'nowhere' }, { signal: new AbortController().signal } as never)).rejects.toThrow(/is not a batch folder/);
    await expect(fixture.shell.handlers.openBatchFolder({}, { signal: new AbortController().signal } as never)).rejects.toThrow(/Type the batch folder's path/);
  }, 60_000);
});
