/**
 * A data folder on a read-only disk: the web shell starts, shows what it can, and says the
 * disk is read-only (EROFS), never that a folder "does not exist" (a recursive mkdir answers
 * ENOENT there). The disk is made read-only for real with a bind mount in a private mount
 * namespace (`unshare`), where the machine allows one; elsewhere the test is skipped.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const canMount = spawnSync('unshare', ['-rm', 'true']).status === 0;

describe.skipIf(!canMount)('a data folder on a read-only disk', () => {
  it('starts, keeps serving, and names the read-only disk in words', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-ro-'));
    const [src, ro] = [path.join(root, 'src'), path.join(root, 'ro')];
    fs.mkdirSync(src);
    fs.mkdirSync(ro);
    try {
      const script = `mount --bind ${src} ${ro} && mount -o remount,bind,ro ${ro} && exec node --import tsx test/fixtures/shell/read-only-start.ts ${ro}/data ${ro}/exports`;
      const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout.trim().split('\n').pop()!);
      expect(report.presets.join(' ')).toMatch(/Presets cannot be saved: the folder .*data cannot be written \(the disk is read-only \(EROFS\)\)/);
      expect(report.session.join(' ')).toMatch(/The session cannot be saved: .* \(the disk is read-only \(EROFS\)\)/);
      expect(report.saveUi).toMatch(/the disk is read-only \(EROFS\)/);
      expect(report.export).toMatch(/Could not export: the folder .*exports could not be created: the disk is read-only \(EROFS\)/);
      expect(JSON.stringify(report)).not.toMatch(/does not exist|ENOENT/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
