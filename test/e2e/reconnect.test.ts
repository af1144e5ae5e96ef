/**
 * A stopped web server is shown in the page ("Server stopped — reconnecting…"), and when it
 * is started again with the same data folder it serves the same URL (port and token kept
 * there), so the open tab reconnects by itself and shows the session again. Chromium,
 * local web server, real engine.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumUnavailable, screenshotter, startWebServer, workstationSession } from './harness';

const skip = chromiumUnavailable();
if (skip) console.warn(`Skipping the Chromium end-to-end tests: ${skip}`);

describe.skipIf(!!skip)('a web server that stops and comes back', () => {
  let page: Page;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gramophone-e2e-reconnect-'));
  // Registered first, so it runs after the session has stopped the server.
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const session = workstationSession({ width: 1366, height: 768, server: { dataDir, savedIdentity: true } }, (p) => {
    page = p;
  });
  const shot = screenshotter('reconnect');
  const status = () => page.getByRole('status', { name: 'Engine status' });

  it('says the server stopped, and reconnects to the same URL when it is back', async () => {
    await expect.poll(() => status().textContent(), { timeout: 60_000 }).toMatch(/Engine ready/);
    const url = session.server.url;
    await session.server.stop();
    await expect.poll(() => status().textContent(), { timeout: 15_000 }).toBe('Server stopped — reconnecting…');
    await shot(page, 'server-stopped');

    session.server = await startWebServer({ dataDir, savedIdentity: true });
    expect(session.server.url).toBe(url);
    await expect.poll(() => status().textContent(), { timeout: 60_000 }).toMatch(/Engine ready/);
    await page.getByLabel('Content file info').waitFor({ timeout: 60_000 });
    await shot(page, 'reconnected');
  }, 180_000);
});
