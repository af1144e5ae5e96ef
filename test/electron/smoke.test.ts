/**
 * Electron smoke test through Playwright's Electron support: the real app opens one secure
 * window on app://, the preload exposes exactly the contract, the demo loads. Runs wherever
 * an Electron binary is installed; skipped (with the reason printed) elsewhere.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { _electron } from 'playwright-core';
import { RENDERER_METHODS } from '../../common/contract';
import { electronBinary } from '../e2e/harness';

const root = path.resolve(import.meta.dirname, '../..');

const bin = electronBinary();
if ('reason' in bin) console.log(`Electron smoke test skipped: ${bin.reason}`);

describe.skipIf('reason' in bin)('Electron app (Playwright _electron)', () => {
  it('opens a secure window with the contract bridge and the demo loaded', async () => {
    const app = await _electron.launch({
      executablePath: (bin as { path: string }).path,
      args: [root, ...(process.env.CI ? ['--no-sandbox'] : [])],
      cwd: root,
      env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' },
      timeout: 60_000,
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      expect(page.url()).toBe('app://gramophone/index.html');
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const w = BrowserWindow.getAllWindows()[0];
        const p = (w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
        return { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration, windows: BrowserWindow.getAllWindows().length };
      });
      expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, windows: 1 });
      const exposed = await page.evaluate(() => ({
        keys: Object.keys((globalThis as unknown as { gramophone: object }).gramophone).sort(),
        require: typeof (globalThis as unknown as { require?: unknown }).require,
        process: typeof (globalThis as unknown as { process?: unknown }).process,
      }));
      expect(exposed).toEqual({ keys: [...RENDERER_METHODS, 'on'].sort(), require: 'undefined', process: 'undefined' });
      const info = await page.evaluate(() => (globalThis as unknown as { gramophone: { getAppInfo(a: object): Promise<{ shell: string }> } }).gramophone.getAppInfo({}));
      expect(info.shell).toBe('electron');
      await page.getByText('Demo content.wav').first().waitFor({ timeout: 60_000 });
      const out = path.join(root, 'test-artifacts');
      fs.mkdirSync(out, { recursive: true });
      await page.screenshot({ path: path.join(out, 'electron-smoke.png') });
    } finally {
      await app.close();
    }
  }, 180_000);
});
