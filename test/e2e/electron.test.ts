/**
 * The same workstation flow through Playwright's Electron support: runs wherever an
 * Electron binary is installed (node_modules/electron/dist, or GRAMOPHONE_ELECTRON);
 * otherwise it is skipped and says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ElectronApplication, Page } from 'playwright-core';
import { ROOT, canvasStats, electronBinary, screenshotter } from './harness';

const found = electronBinary();
const binary = 'path' in found ? found.path : null;
const why = 'reason' in found ? found.reason : null;
if (why) console.warn(`Skipping the Electron end-to-end test: ${why}`);

describe.skipIf(!!why)('workstation in Electron', () => {
  let app: ElectronApplication;
  let page: Page;
  let userData: string;
  const shot = screenshotter('electron');

  beforeAll(async () => {
    userData = mkdtempSync(path.join(os.tmpdir(), 'gramophone-electron-'));
    const { _electron } = await import('playwright-core');
    app = await _electron.launch({
      executablePath: binary!,
      args: [ROOT, `--user-data-dir=${userData}`, '--no-sandbox', '--autoplay-policy=no-user-gesture-required'],
      cwd: ROOT,
    });
    page = await app.firstWindow();
    await page.setViewportSize({ width: 1280, height: 720 });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  it('opens with the demo, renders a take and auditions it', async () => {
    await page.getByLabel('Content file info').waitFor({ timeout: 60_000 });
    await page.getByLabel('Style file info').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    expect((await canvasStats(page.getByLabel('Content spectrogram'))).colours).toBeGreaterThan(20);
    await shot(page, 'demo-loaded');
    const slider = page.getByLabel('β Style weight', { exact: true });
    await slider.focus();
    for (let i = 0; i < 10; i++) await slider.press('ArrowRight');
    await page.getByLabel('Preset modified').waitFor();
    await page.getByText('Advanced settings').click();
    await page.getByLabel('Iterations', { exact: true }).fill('12');
    await page.getByRole('button', { name: 'Render', exact: true }).click();
    await page.getByLabel('Take 1 lane').waitFor({ timeout: 120_000 });
    await shot(page, 'take-arrived');
    await page.getByLabel('Play', { exact: true }).click();
    await page.waitForTimeout(600);
    await page.keyboard.press('1');
    await page.waitForTimeout(200);
    expect(await page.getByTestId('position').textContent()).not.toBe('00:00.000');
    await shot(page, 'playing');
  }, 240_000);
});
