/**
 * The render status line (phase, step count, time spent, time left) stays whole during a
 * render at 1024×640, 1366×768 and 1920×1080: nothing cut off or hidden behind "…" in its
 * narrow column. Screenshots of each size, and of the take when it arrives, go to
 * test-artifacts/e2e/render-status-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumUnavailable, screenshotter, workstationSession } from './harness';

const skip = chromiumUnavailable();
if (skip) console.warn(`Skipping the Chromium end-to-end tests: ${skip}`);

const SIZES = [
  [1024, 640],
  [1366, 768],
  [1920, 1080],
] as const;

describe.skipIf(!!skip)('render status line', () => {
  let page: Page;
  const shot = screenshotter('render-status');
  workstationSession({ width: 1024, height: 640, style: true }, (p) => {
    page = p;
  });

  it('shows the time left whole at every window size while a render runs', async () => {
    await page.getByRole('button', { name: 'Render', exact: true }).click();
    const status = page.getByTestId('render-status');
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/left/);
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/left/);
      // Every line of it inside its box: nothing overflowing, so nothing elided or clipped.
      const fit = await status.evaluate((el: unknown) => {
        const e = el as {
          scrollWidth: number;
          clientWidth: number;
          scrollHeight: number;
          clientHeight: number;
          getBoundingClientRect(): { bottom: number };
          parentElement: { getBoundingClientRect(): { bottom: number } };
        };
        return { width: e.scrollWidth <= e.clientWidth, height: e.scrollHeight <= e.clientHeight + 1 };
      });
      expect(fit, `${width}×${height}: ${await status.textContent()}`).toEqual({ width: true, height: true });
      expect(await status.isVisible()).toBe(true);
      await shot(page, `${width}x${height}`);
    }
    // The take arrives: the picture of a first session (the README shows it).
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByLabel('Take 1 lane').waitFor({ timeout: 240_000 });
    await page.getByLabel('Take 1 result').waitFor({ timeout: 30_000 });
    await page.getByLabel('Take 1 lane').getByText('Analysing…').waitFor({ state: 'detached', timeout: 60_000 });
    await shot(page, 'first-take');
  }, 360_000);
});
