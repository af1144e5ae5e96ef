/**
 * A preset saved by version 1 renders the same samples after migration (issue 9): checked
 * bit for bit against hashes of takes the version-1 engine made, on the CPU kind they were
 * made on; on other CPUs, against the same settings written as a version-2 document.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PresetSchema, migratePreset } from '../../common/preset';
import { renderRequest } from '../../engine/render/render-request';
import { V1_QUICK } from '../fixtures/presets';
import { ROOT, demoFile } from '../helpers/demo';

interface Golden {
  cpuModel: string;
  takes: { label: string; region?: { start: number; end: number }; backend?: 'tfjs'; iterations?: number; hash: string }[];
}
const golden = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/engine/v1-takes.json'), 'utf8')) as Golden;
const sameCpu = os.cpus()[0]?.model === golden.cpuModel;
const hashOf = (x: Float32Array) =>
  createHash('sha256')
    .update(Buffer.from(x.buffer, x.byteOffset, x.byteLength))
    .digest('hex')
    .slice(0, 16);

describe('version-1 presets render the same samples', () => {
  for (const g of golden.takes) {
    it(`${g.label}${sameCpu ? '' : ' (other CPU: against its v2 form)'}`, async () => {
      const doc = { ...V1_QUICK, backend: g.backend ?? 'auto', optimizer: { ...V1_QUICK.optimizer, iterations: g.iterations ?? V1_QUICK.optimizer.iterations } };
      const migrated = migratePreset(doc);
      const take = await renderRequest({ jobId: 'v1', content: demoFile('content'), style: demoFile('style'), preset: migrated, region: g.region });
      if (sameCpu) {
        expect(hashOf(take.samples)).toBe(g.hash);
        return;
      }
      const v2 = PresetSchema.parse({ ...migrated, name: 'written as v2' });
      const again = await renderRequest({ jobId: 'v2', content: demoFile('content'), style: demoFile('style'), preset: v2, region: g.region });
      expect(hashOf(again.samples)).toBe(hashOf(take.samples));
    }, 120_000);
  }
});
