/**
 * A stopped web server is shown in the page ("Server stopped — reconnecting…"), and when it
 * is started again with the same data folder it serves the same URL (port and token kept
 * there), so the open tab reconnects by itself and shows the session again. Chromium,
 * local web server, real engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumUnavailable, dismissIntro, launchChromium, screenshotter, startWebServer, type WebServer, openWorkstation } from './harness';

const skip = chromiumUnavailable();
if (skip) console.warn(`Skipping the Chromium end-to-end tests: ${skip}`);

describe.skipIf(!!skip)('a web server that stops and comes back', () => {
  let server: WebServer | undefined;
  let browser: Browser;
  let page: Page;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gramophone-e2e-reconnect-'));
  const shot = screenshotter('reconnect');
  const status = () => page.getByRole('status', { name: 'Engine status' });

  beforeAll(async () => {
    server = await startWebServer({ dataDir, savedIdentity: true });
    browser = await launchChromium();
    page = await openWorkstation(browser, server.url, { width: 1366, height: 768 });
    await dismissIntro(page);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('says the server stopped, and reconnects to the same URL when it is back', async () => {
    await expect.poll(() => status().textContent(), { timeout: 60_000 }).toMatch(/Engine ready/);
    const url = server!.url;
    await server!.stop();
    server = undefined;
    await expect.poll(() => status().textContent(), { timeout: 15_000 }).toBe('Server stopped — reconnecting…');
    await shot(page, 'server-stopped');

    server = await startWebServer({ dataDir, savedIdentity: true });
    expect(server.url).toBe(url);
    await expect.poll(() => status().textContent(), { timeout: 60_000 }).toMatch(/Engine ready/);
    await page.getByLabel('Content file info').waitFor({ timeout: 60_000 });
    await shot(page, 'reconnected');
  }, 180_000);
});
