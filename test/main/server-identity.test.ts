/** The web server's port and token: kept per data folder (0600), overridden by --port and --new-token. */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IDENTITY_FILE, chooseIdentity, saveIdentity } from '../../main/server-identity';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const fresh = () => (dir = mkdtempSync(path.join(tmpdir(), 'gramophone-identity-')));

describe('server identity', () => {
  it('a new data folder gets any free port and a new random token', () => {
    fresh();
    const a = chooseIdentity(dir, {});
    expect(a.port).toBe(0);
    expect(a.token).toMatch(/^[\w-]{32}$/);
    expect(chooseIdentity(dir, {}).token).not.toBe(a.token);
  });

  it('what was saved comes back, in a file only its owner can read', () => {
    fresh();
    saveIdentity(dir, { port: 41234, token: 'abcdefghijklmnopqrstuvwxyz012345' });
    expect(chooseIdentity(dir, {})).toEqual({ port: 41234, token: 'abcdefghijklmnopqrstuvwxyz012345' });
    expect(statSync(path.join(dir, IDENTITY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('--port and --new-token override the saved ones', () => {
    fresh();
    saveIdentity(dir, { port: 41234, token: 'abcdefghijklmnopqrstuvwxyz012345' });
    expect(chooseIdentity(dir, { port: 0 }).port).toBe(0);
    expect(chooseIdentity(dir, { port: 5000 })).toEqual({ port: 5000, token: 'abcdefghijklmnopqrstuvwxyz012345' });
    const renewed = chooseIdentity(dir, { freshToken: true });
    expect(renewed.port).toBe(41234);
    expect(renewed.token).not.toBe('abcdefghijklmnopqrstuvwxyz012345');
  });

  it('a damaged or hand-edited file is ignored, not trusted', () => {
    fresh();
    for (const text of ['{', '{"port": 99999, "token": "abcdefghijklmnopqrstuvwxyz012345"}', '{"port": 4000, "token": "short"}', '{"port": 4000, "token": "../../etc/passwd-is-not-a-token!"}']) {
      writeFileSync(path.join(dir, IDENTITY_FILE), text);
      const id = chooseIdentity(dir, {});
      expect(id.port).toBe(0);
      expect(id.token).toMatch(/^[\w-]{32}$/);
    }
  });
});
