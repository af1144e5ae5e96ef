/* eslint-disable @typescript-eslint/no-explicit-any -- page-side callbacks, checked without the DOM lib */
/**
 * A grid of takes end to end in Chromium with the real engine pool: six short takes (content
 * weight × seed over a 1 s region) rendered in parallel from the render panel, each with
 * progress; the compare view steps through them with the arrow keys at matched loudness,
 * loops the region, marks two, drops the rest and exports the marked ones in one go. A
 * second grid is cancelled. Screenshots at 1024×640, 1366×768 and 1920×1080 go to
 * test-artifacts/e2e/grid-*.png.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { readWavComment } from '../helpers/wav-comment';
import { writeBatchFolder } from '../helpers/batch-folder';
import { chromiumUnavailable, quickTakes, screenshotter, workstationSession } from './harness';

const skip = chromiumUnavailable();

const state = (page: Page) => page.evaluate(() => (globalThis as any).__gramophone.store.getState());

describe.skipIf(!!skip)('grid of takes in Chromium (real engine pool)', () => {
  let page: Page;
  const shot = screenshotter('grid');
  const session = workstationSession({ width: 1366, height: 768 }, async (p) => {
    page = p;
    // A 1 s region and few iterations: six takes in well under a minute on two cores.
    await quickTakes(page, { start: 1, end: 2 }, 4, 6);
  });

  it('the form says what it will make and refuses bad values in words', async () => {
    await page.getByRole('button', { name: 'Grid of takes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Grid of takes' });
    await dialog.getByLabel('Sweep 1', { exact: true }).selectOption('weight:content');
    await dialog.getByLabel('Sweep 1 values').fill('0.01, loud');
    expect(await dialog.getByLabel('Grid summary').textContent()).toBe('α Content weight: "loud" is not a number.');
    expect(await dialog.getByRole('button', { name: /^Render/ }).isDisabled()).toBe(true);
    await dialog.getByLabel('Sweep 1 values').fill('0.01, 0.1, 1');
    await dialog.getByLabel('Sweep 2', { exact: true }).selectOption('seed');
    await dialog.getByLabel('Sweep 2 values').fill('1, 2');
    expect(await dialog.getByLabel('Grid summary').textContent()).toBe('6 takes: α 0.01 · seed 1, α 0.01 · seed 2, α 0.1 · seed 1, α 0.1 · seed 2, α 1 · seed 1, α 1 · seed 2');
    await shot(page, 'form');
  });

  it('renders six takes in the background, in parallel, each with progress, named by what differs', async () => {
    await page.evaluate(() => {
      const w = globalThis as any;
      w.__maxRunning = 0;
      w.__gramophone.store.subscribe(() => {
        const n = w.__gramophone.store.getState().renders.filter((j: any) => j.status === 'running').length;
        w.__maxRunning = Math.max(w.__maxRunning, n);
      });
    });
    await page.getByRole('dialog', { name: 'Grid of takes' }).getByRole('button', { name: 'Render 6 takes' }).click();
    const list = page.getByLabel('Grid takes');
    await list.waitFor();
    await page.locator('.compare-progress').first().waitFor();
    await shot(page, 'rendering');
    await page.waitForFunction(() => (globalThis as any).__gramophone.store.getState().takeIds.length === 6, undefined, { timeout: 240_000 });
    const s = await state(page);
    const slots = s.renderSlots;
    expect(slots).toBeGreaterThanOrEqual(1);
    expect(await page.evaluate(() => (globalThis as any).__maxRunning)).toBe(Math.min(slots, 6));
    const names = s.takeIds.map((id: string) => s.tracks[id].info.name).sort();
    expect(names).toHaveLength(6);
    for (const label of ['α 0.01 · seed 1', 'α 0.1 · seed 2', 'α 1 · seed 2']) expect(names.some((n: string) => n.endsWith(` - ${label}`))).toBe(true);
    // Each keeps its recipe.
    const byLabel = (label: string) => s.takeIds.map((id: string) => s.tracks[id]).find((t: any) => t.info.name.endsWith(label));
    expect(byLabel('α 0.1 · seed 2').take.preset.weights.content).toBe(0.1);
    expect(byLabel('α 0.1 · seed 2').take.preset.network.seed).toBe(2);
    expect(byLabel('α 0.1 · seed 2').take.preset.optimizer.iterations).toBe(4);
    expect(await list.locator('.lufs').count()).toBe(6);
  }, 300_000);

  for (const [w, h] of [
    [1024, 640],
    [1366, 768],
    [1920, 1080],
  ] as const) {
    it(`the compare view at ${w}×${h}`, async () => {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForTimeout(500);
      await shot(page, `compare-${w}x${h}`);
      // Every take's row and its mark are on screen, not cut.
      const rows = page.getByLabel('Grid takes').locator('.compare-row');
      expect(await rows.count()).toBe(6);
      const cut = await page.getByLabel('Compare takes').evaluate((p: any) => {
        const box = p.getBoundingClientRect();
        return [...p.querySelectorAll('button')].filter((b: any) => {
          const r = b.getBoundingClientRect();
          return r.right > box.right + 1 || r.left < box.left - 1;
        }).length;
      });
      expect(cut).toBe(0);
    });
  }

  it('steps through the takes with one key each at matched loudness, loops the region, marks, drops the rest and exports the marked', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    const s0 = await state(page);
    const order = s0.grids[0].cells.map((c: any) => c.takeId);
    await page.keyboard.press('1');
    await page.keyboard.press('ArrowRight');
    expect((await state(page)).transport.source).toBe(order[0]);
    await page.keyboard.press('ArrowRight');
    expect((await state(page)).transport.source).toBe(order[1]);
    await page.keyboard.press('f');
    await page.keyboard.press('ArrowLeft');
    expect((await state(page)).transport.source).toBe(order[0]);
    // Matched loudness is on: the take heard is played at the common loudness.
    expect((await state(page)).mix.matchLoudness).toBe(true);
    await page.getByRole('button', { name: 'Loop the region while comparing' }).click();
    expect((await state(page)).transport.loop).toBe(true);
    await page.getByRole('button', { name: 'Mark α 1 · seed 1' }).click();
    await shot(page, 'marked');
    expect(await page.getByRole('button', { name: 'Export marked (2)' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Drop unmarked' }).click();
    const s1 = await state(page);
    expect(s1.takeIds).toEqual([order[1], order[4]].filter((id) => s1.takeIds.includes(id)));
    expect(s1.takeIds).toHaveLength(2);
    await page.getByRole('button', { name: 'Export marked (2)' }).click();
    await page.getByLabel('Exported files').waitFor({ timeout: 30_000 });
    // Several takes go into one new folder inside the export folder.
    const files = (readdirSync(session.server.exportDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.wav'));
    expect(files).toHaveLength(2);
    const comments = files.map((f) => readWavComment(new Uint8Array(readFileSync(`${session.server.exportDir}/${f}`))) ?? '');
    expect(comments.some((c) => c.includes('α 0.01 · seed 2'))).toBe(true);
    expect(comments.some((c) => c.includes('α 1 · seed 1'))).toBe(true);
    await shot(page, 'exported');
  }, 60_000);

  it('a grid can be cancelled: what has not finished never becomes a take', async () => {
    await page.getByRole('button', { name: 'Close compare' }).click();
    await page.getByRole('button', { name: 'Grid of takes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Grid of takes' });
    await dialog.getByLabel('Sweep 1', { exact: true }).selectOption('seed');
    await dialog.getByLabel('Sweep 1 values').fill('5, 6, 7');
    await dialog.getByLabel('Sweep 2', { exact: true }).selectOption('');
    await dialog.getByRole('button', { name: 'Render 3 takes' }).click();
    await page.getByRole('button', { name: 'Cancel the rest' }).click();
    await page.waitForFunction(() => (globalThis as any).__gramophone.store.getState().renders.every((j: any) => j.status !== 'running' && j.status !== 'queued'), undefined, { timeout: 30_000 });
    const s = await state(page);
    const second = s.grids[1];
    expect(s.renders.filter((j: any) => j.gridId === second.id).every((j: any) => j.status === 'cancelled')).toBe(true);
    expect(s.takeIds).toHaveLength(2);
  }, 60_000);

  it('a batch folder (results.jsonl and its takes) opens as a grid, by its path inside the export folder', async () => {
    // A folder as `gramophone batch` leaves it: the results lines and the takes beside them.
    const dir = path.join(session.server.exportDir, 'my batch');
    mkdirSync(dir);
    const tone = (f: number) => new Float32Array(22050).map((_, i) => 0.3 * Math.sin((2 * Math.PI * f * i) / 22050));
    writeBatchFolder(
      dir,
      [1, 2, 3].map((n) => tone(220 * n)),
    );
    if (await page.getByRole('button', { name: 'Close compare' }).count()) await page.getByRole('button', { name: 'Close compare' }).click();
    await page.getByRole('button', { name: 'Grid of takes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Grid of takes' });
    await dialog.getByText('Or open a batch folder').click();
    await dialog.getByLabel('Batch folder path').fill('nowhere');
    await dialog.getByRole('button', { name: 'Open folder' }).click();
    await page.getByText(/Could not open the batch folder: .*is not a batch folder/).waitFor();
    await dialog.getByLabel('Batch folder path').fill('my batch');
    await dialog.getByRole('button', { name: 'Open folder' }).click();
    await page.getByLabel('Grid takes').waitFor();
    expect(await page.getByLabel('Compare takes').textContent()).toContain('Batch my batch · 3/3 takes');
    const s = await state(page);
    const names = s.takeIds.map((id: string) => s.tracks[id].info.name);
    expect(names.filter((n: string) => / - seed-\d$/.test(n))).toHaveLength(3);
    await page.keyboard.press('ArrowRight');
    expect(s.tracks[(await state(page)).transport.source].take.preset.network.seed).toBe(1);
    await shot(page, 'batch-folder');
  }, 60_000);
});
