/** What the session-store tests share: the real engine handlers in this process, and a temporary folder per test. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { EngineCalls } from '../../../main/engine-host';
import type { SessionStore } from '../../../main/session-store';
import { createEngineHandlers } from '../../../engine/engine-handlers';

/** The real engine handlers called directly, as the engine host would over its port. */
export function directEngine(): EngineCalls {
  const handlers = createEngineHandlers(() => undefined) as unknown as Record<string, (a: unknown, c: unknown) => unknown>;
  const ctx = { signal: new AbortController().signal };
  return { status: { state: 'ready' }, call: async (m: string, a: unknown) => handlers[m](a, ctx), render: async () => ({}) } as unknown as EngineCalls;
}

/**
 * For the tests of the file it is called in: a new temporary folder (named from `prefix`)
 * before each test, handed to `onDir`; after it, every store pushed onto the returned list is
 * finished (`close` or `flush`, its errors ignored) and the folder removed.
 */
export function sessionSandbox(prefix: string, finish: 'close' | 'flush', onDir: (dir: string) => void): SessionStore[] {
  const stores: SessionStore[] = [];
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    onDir(dir);
  });
  afterEach(async () => {
    await Promise.all(stores.map((s) => s[finish]().catch(() => undefined)));
    stores.length = 0;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return stores;
}
