/* eslint-disable @typescript-eslint/no-explicit-any -- page-side callbacks, checked without the DOM lib */
/**
 * Views a musician reads, at 1024×640, 1366×768 and 1920×1080 in Chromium: the lanes fill
 * the window (no band left empty below them), a take's spectrogram is on screen at the
 * smallest size, the frequency axis speaks Hz/kHz and note names, the colours have a dB
 * legend, each lane shows its loudness and a gain, a take's header is in words with its raw
 * figures in the tooltip. Screenshots go to test-artifacts/e2e/views-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { canvasStats, chromiumUnavailable, screenshotter, quickTakes, workstationSession } from './harness';

const skip = chromiumUnavailable();

describe.skipIf(!!skip)('views at 1024×640, 1366×768 and 1920×1080 (Chromium)', () => {
  let page: Page;
  const shot = screenshotter('views');
  // The smallest size first: the new take must arrive in sight there.
  workstationSession({ width: 1024, height: 640, timeout: 240_000 }, async (p) => {
    page = p;
    // A quick take on a short region.
    await quickTakes(page, { start: 1, end: 3 }, 6, 8);
    await page.getByRole('button', { name: 'Render', exact: true }).click();
    await page.getByLabel('Take 1 lane').waitFor({ timeout: 120_000 });
    await page.waitForTimeout(500);
  });

  /** How much of an element lies inside the lane stack's visible box, 0–1 of its height. */
  const shownInLanes = (label: string) =>
    page.getByLabel(label).evaluate((e: any) => {
      const r = e.getBoundingClientRect();
      const l = e.closest('.lanes').getBoundingClientRect();
      return Math.max(0, Math.min(r.bottom, l.bottom) - Math.max(r.top, l.top)) / r.height;
    });

  it('at 1024×640 the new take is scrolled into view, its spectrogram on screen', async () => {
    expect(await shownInLanes('Take 1 spectrogram')).toBeGreaterThan(0.95);
    await shot(page, '1024x640-take-arrived');
  });

  it('each lane says its loudness and has a gain; a take is headed in words', async () => {
    for (const lane of ['Content', 'Style', 'Take 1']) expect(await page.getByLabel(`${lane} loudness`).textContent()).toMatch(/^−?-?\d+\.\d LUFS$/);
    await page.getByLabel('Take 1 gain').fill('-6');
    expect(await page.getByLabel('Take 1 lane').locator('.gain-read').textContent()).toBe('−6.0 dB');
    const gain = await page.evaluate(() => (globalThis as any).__gramophone.store.getState().mix.gainDb);
    expect(Object.values(gain)).toEqual([-6]);
    expect(await page.getByLabel('Take 1 settings').textContent()).toMatch(/^Timbre transfer · light content · 6 steps$/);
    expect(await page.getByLabel('Take 1 settings').getAttribute('title')).toMatch(/Optimiser: L-BFGS, 6 iterations/);
  });

  it('the colours have a dB legend and the frequency axis zooms', async () => {
    expect(await page.locator('.view-toolbar .legend').getAttribute('aria-label')).toBe('Colour legend: -90 dB darkest to 0 dB brightest');
    const before = await canvasStats(page.getByLabel('Content spectrogram'));
    await page.getByLabel('Highest frequency shown').selectOption('2000');
    await page.waitForTimeout(300);
    const after = await canvasStats(page.getByLabel('Content spectrogram'));
    expect(after.nonBackground).not.toBeCloseTo(before.nonBackground, 3);
    await shot(page, '1024x640-zoomed-2kHz');
    await page.getByLabel('Highest frequency shown').selectOption('0');
  });

  for (const [width, height] of [
    [1024, 640],
    [1366, 768],
    [1920, 1080],
  ] as const) {
    it(`${width}×${height}`, async () => {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(600);
      await shot(page, `${width}x${height}`);
      // The lanes fill the stack: no band left empty below the last one (unless the stack scrolls).
      const fill = await page.locator('.lanes').evaluate((l: any) => {
        const lanes = l.querySelectorAll('.lane');
        return { scrolls: l.scrollHeight > l.clientHeight + 1, gap: l.getBoundingClientRect().bottom - lanes[lanes.length - 1].getBoundingClientRect().bottom };
      });
      if (!fill.scrolls) expect(fill.gap).toBeLessThan(8);
      // The spectrograms grow with the window.
      const specH = await page.getByLabel('Content spectrogram').evaluate((c: any) => c.getBoundingClientRect().height);
      if (height >= 1000) expect(specH).toBeGreaterThan(200);
    }, 60_000);
  }
});
