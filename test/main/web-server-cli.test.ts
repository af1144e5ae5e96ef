/** `npm run web -- --help` prints the flags; a wrong flag is said in words with the usage, never a stack trace. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../helpers/demo';

const server = path.join(ROOT, 'dist', 'main', 'web-server.js');
const run = (...args: string[]) => spawnSync(process.execPath, [server, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('web server command line', () => {
  it('--help prints the usage and exits 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: npm run web -- \[--port N\]/);
    expect(r.stdout).toMatch(/--data-dir DIR/);
    expect(r.stderr).toBe('');
  });

  it('an unknown flag exits 2 with the usage, no stack trace', () => {
    const r = run('--bogus');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--bogus'/);
    expect(r.stderr).toMatch(/Usage:/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
