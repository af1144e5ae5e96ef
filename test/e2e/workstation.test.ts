/* eslint-disable @typescript-eslint/no-explicit-any -- page-side callbacks, checked without the DOM lib */
/**
 * The workstation end to end in the system Chromium, against the local web server and the
 * real engine: first-run introduction → demo → spectrograms → sliders → render → play and
 * A/B → export → preset survives a reload; a bad WAV dropped on a lane; a cancelled render;
 * a musician's session (an MP3 in, a render, undo, A/B at matched loudness, the server
 * restarted and everything back). Screenshots of every step go to test-artifacts/e2e/.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_PRESET_NAME } from '../../common/preset';
import { decodeWav } from '../../engine/audio/wav';
import { positionToWeight } from '../../renderer/state/preset-edit';
import { encodeWav } from '../../engine/audio/wav-encode';
import { readWavComment } from '../helpers/wav-comment';
import { ROOT, canvasStats, chromiumUnavailable, dismissIntro, screenshotter, setIterations, startWebServer, workstationSession } from './harness';

const skip = chromiumUnavailable();
if (skip) console.warn(`Skipping the Chromium end-to-end tests: ${skip}`);

/** Wait until a lane's spectrogram canvas holds more than its background colour. */
async function waitForSpectrogram(page: Page, lane: string, timeout = 60_000) {
  await page.waitForFunction(
    (label) => {
      // In the page (this file is type-checked without the DOM library).
      const c = (globalThis as any).document.querySelector(`canvas[aria-label="${label} spectrogram"]`);
      if (!c || c.width < 2) return false;
      const d: Uint8ClampedArray = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 4; i < d.length; i += 4 * 97) if (d[i] !== d[0] || d[i + 1] !== d[1]) return true;
      return false;
    },
    lane,
    { timeout },
  );
}

/** Wait for both input lanes (the demo pair, or whatever main restored) with spectrograms drawn. */
async function waitForDemo(page: Page) {
  await page.getByLabel('Content file info').waitFor({ timeout: 60_000 });
  await page.getByLabel('Style file info').waitFor({ timeout: 60_000 });
  for (const lane of ['Content', 'Style']) await waitForSpectrogram(page, lane);
}

/** Fraction of a spectrogram canvas's pixels between x fractions [x0, x1) left as the lane background. */
async function backgroundFraction(page: Page, lane: string, x0: number, x1: number): Promise<number> {
  return page.getByLabel(`${lane} spectrogram`).evaluate(
    (c: any, [x0, x1]: number[]) => {
      const a = Math.floor(c.width * x0);
      const b = Math.max(a + 1, Math.floor(c.width * x1));
      const d: Uint8ClampedArray = c.getContext('2d').getImageData(a, 0, b - a, c.height).data;
      let bg = 0;
      // #0b0d10, what SpectrogramView clears to.
      for (let i = 0; i < d.length; i += 4) if (d[i] === 0x0b && d[i + 1] === 0x0d && d[i + 2] === 0x10) bg++;
      return bg / (d.length / 4);
    },
    [x0, x1],
  );
}

/** The visible time window [start, end] of a lane, seconds. */
async function viewRange(page: Page, lane: string): Promise<[number, number]> {
  const body = page.getByLabel(`${lane} lane`).locator('.lane-body');
  return [Number(await body.getAttribute('data-view-start')), Number(await body.getAttribute('data-view-end'))];
}

const position = (page: Page) => page.evaluate(() => (globalThis as unknown as { __gramophone: { controller: { playback: { position(): number } } } }).__gramophone.controller.playback.position());

describe.skipIf(!!skip)('workstation in Chromium (real engine)', () => {
  let page: Page;
  // Outside the server's own folders, so the session survives a restart of the server.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gramophone-e2e-data-'));
  // Registered first, so it runs after the session has stopped the server.
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  // The introduction stays: the first test reads it.
  const session = workstationSession({ width: 1280, height: 720, server: { dataDir }, keepIntro: true }, (p) => {
    page = p;
  });
  const shot = screenshotter('workstation');

  it('opens with the demo loaded, spectrograms drawn and a one-screen introduction', async () => {
    await waitForDemo(page);
    const intro = page.getByRole('dialog', { name: 'Welcome' });
    await intro.waitFor();
    expect(await intro.textContent()).toMatch(/Content.*style.*Render.*Ctrl\+Z/s);
    await shot(page, 'first-run');
    await dismissIntro(page);
    await intro.waitFor({ state: 'detached' });
    await expect(page.getByLabel('Engine status').textContent()).resolves.toMatch(/ready|starting/i);
    for (const lane of ['Content', 'Style']) {
      const stats = await canvasStats(page.getByLabel(`${lane} spectrogram`));
      expect(stats.colours, `${lane} spectrogram colours`).toBeGreaterThan(20);
      expect(stats.nonBackground).toBeGreaterThan(0.3);
    }
    expect(await page.getByLabel('Content file info').textContent()).toMatch(/\d+\.\d\d s · [\d.]+ kHz · (mono|stereo)/);
    await shot(page, 'demo-loaded');
  }, 120_000);

  it('each weight slider moves its value and marks the preset modified', async () => {
    await expect(page.getByLabel('Preset modified').count()).resolves.toBe(0);
    for (const name of ['α Content', 'β Style', 'γ Energy envelope', 'δ Timbral envelope']) {
      const field = page.getByLabel(`${name} weight value`, { exact: true });
      const before = Number(await field.inputValue());
      const slider = page.getByLabel(`${name} weight`, { exact: true });
      const position0 = Number(await slider.inputValue());
      await slider.focus();
      for (let i = 0; i < 20; i++) await slider.press('ArrowRight');
      // The field follows the store a frame later: wait for the twentieth step to reach it.
      await expect.poll(async () => Number(await field.inputValue()), { message: name }).toBe(positionToWeight(position0 + 20));
      const after = Number(await field.inputValue());
      if (before === 0) {
        // An "off" term comes on at the bottom of the range: the 20th step up from off is 10^(−3 + 19/100).
        expect(after, name).toBe(positionToWeight(20));
      } else {
        // 20 steps at 100 steps a decade: ×10^0.2, give or take the first step snapping to the grid.
        expect(after / before, name).toBeGreaterThan(Math.pow(10, 0.185));
        expect(after / before, name).toBeLessThan(Math.pow(10, 0.215));
      }
      await page.getByLabel('Preset modified').waitFor();
    }
    // The exact field sets the slider too.
    await page.getByLabel('β Style weight value', { exact: true }).fill('2');
    await page.getByLabel('β Style weight value', { exact: true }).press('Enter');
    expect(await page.getByLabel('β Style weight', { exact: true }).getAttribute('aria-valuetext')).toBe('2');
    await shot(page, 'sliders-moved');
  }, 120_000);

  it('renders a take with progress, and the take lane arrives', async () => {
    // Keep it quick on two shared cores: fewer iterations than the preset.
    await setIterations(page, 12, 16);
    await page.evaluate(() => {
      const w = globalThis as unknown as { __events: string[]; __gramophone: { controller: { api: { on(e: string, l: (d: { phase: string }) => void): void } } } };
      w.__events = [];
      w.__gramophone.controller.api.on('renderProgress', (d) => w.__events.push(d.phase));
    });
    await page.getByRole('button', { name: 'Render', exact: true }).click();
    await page
      .getByTestId('render-status')
      .filter({ hasText: /Optimising|Reconstructing|Analysing/ })
      .waitFor({ timeout: 60_000 });
    await shot(page, 'rendering');
    await page.getByLabel('Take 1 lane').waitFor({ timeout: 120_000 });
    const phases = await page.evaluate(() => (globalThis as unknown as { __events: string[] }).__events);
    expect(phases).toContain('optimise');
    expect(phases).toContain('reconstruct');
    expect(await page.getByLabel('Take 1 lane').textContent()).toContain(DEFAULT_PRESET_NAME);
    // The settings were modified: the queue and the take say so, and show the weights used.
    expect(await page.getByLabel('Render queue').locator('.job-name').last().textContent()).toBe(`${DEFAULT_PRESET_NAME} (modified)`);
    expect(await page.getByLabel('Take 1 lane').locator('.lane-name').textContent()).toBe(`Take 1 - ${DEFAULT_PRESET_NAME} (modified)`);
    // What made it, and its result in words with the raw figures behind them.
    expect(await page.getByLabel('Take 1 settings').getAttribute('title')).toContain('Made from "Demo content.wav" in the style of "Demo style.wav"');
    expect(await page.getByLabel('Take 1 result').textContent()).toMatch(/^melody kept \d+ %, style match \d+ %/);
    expect(await page.getByLabel('Take 1 result').getAttribute('title')).toMatch(/style Gram error: [\d.e-]+/);
    const settings = page.getByLabel('Take 1 settings');
    const beta = await page.getByLabel('β Style weight value', { exact: true }).inputValue();
    // The header in words, the figures in its tooltip.
    expect(await settings.textContent()).toMatch(new RegExp(`^${DEFAULT_PRESET_NAME} · (no|light|moderate|strong) content · .*12 steps$`));
    expect(await settings.getAttribute('title')).toContain(Number(beta) > 0 ? `β style ${beta}` : 'Weights: ');
    expect(await settings.getAttribute('title')).toMatch(/\n.*12 iterations/);
    // Legible: the headline is not cut off.
    expect(await settings.evaluate((e: any) => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight + 1)).toBe(true);
    await page.waitForFunction(() => {
      const c = (globalThis as any).document.querySelector('canvas[aria-label="Take 1 spectrogram"]');
      return !!c && c.width > 2;
    });
    // The spectrogram arrives after the take (the engine may still be hearing the lanes' notes).
    await expect.poll(async () => (await canvasStats(page.getByLabel('Take 1 spectrogram'))).colours, { timeout: 60_000 }).toBeGreaterThan(20);
    expect((await canvasStats(page.getByLabel('Loss chart'))).colours).toBeGreaterThan(5);
    await shot(page, 'take-arrived');
  }, 120_000);

  it('plays, and A/B switching keeps the transport running', async () => {
    // The new take is auditioned first.
    expect(await page.getByRole('button', { name: 'Listen to Take 1' }).first().getAttribute('aria-pressed')).toBe('true');
    await page.getByLabel('Play', { exact: true }).click();
    await page.waitForTimeout(700);
    const p1 = await position(page);
    expect(p1).toBeGreaterThan(0.2);
    await page.keyboard.press('1');
    await page.waitForTimeout(300);
    const p2 = await position(page);
    expect(p2).toBeGreaterThan(p1);
    expect(await page.getByRole('button', { name: 'Listen to Content' }).first().getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('2');
    await page.keyboard.press('3');
    await page.waitForTimeout(300);
    expect(await position(page)).toBeGreaterThan(p2);
    expect(await page.getByTestId('position').textContent()).not.toBe('00:00.000');
    await shot(page, 'playing-ab');
    await page.keyboard.press(' ');
    await page.getByLabel('Play', { exact: true }).waitFor();
  }, 120_000);

  it('exports the take as a WAV stem that decodes and says how it was made', async () => {
    await page.getByLabel('Export encoding').selectOption('pcm16');
    await page.getByRole('button', { name: /^Export (take|\d+ takes)$/ }).click();
    const list = page.getByLabel('Exported files');
    await list.waitFor({ timeout: 30_000 });
    const shown = (await list.textContent()) ?? '';
    expect(shown).toMatch(/\.wav/);
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(session.server.exportDir).filter((f) => f.endsWith('.wav'));
    expect(files.length).toBe(1);
    const bytes = new Uint8Array(readFileSync(`${session.server.exportDir}/${files[0]}`));
    const wav = decodeWav(bytes, files[0]);
    expect(wav.format).toMatch(/16/);
    expect(wav.frames).toBeGreaterThan(1000);
    let peak = 0;
    for (const x of wav.channels[0]) peak = Math.max(peak, Math.abs(x));
    expect(peak).toBeGreaterThan(0.01);
    expect(readWavComment(bytes) ?? '').toContain(DEFAULT_PRESET_NAME);
    await shot(page, 'exported');

    // The settings and the export panel together, as a musician sees them at 1280×720:
    // nothing spills out of its box and no label is cut off.
    await page.getByText('Advanced settings').click();
    await page.locator('.advanced').scrollIntoViewIfNeeded();
    const spec = (await page.getByLabel('Content spectrogram').boundingBox())!;
    await page.mouse.move(spec.x + spec.width / 3, spec.y + spec.height / 2);
    // Time, frequency, the nearest note and the level.
    await page
      .getByLabel('Hover read-out')
      .filter({ hasText: /\d k?Hz [A-G]♯?\d( [+−]\d+ ct)?\s+-?\d+\.\d dB/ })
      .waitFor();
    await shot(page, 'advanced-and-export');
    const overflow = await page.evaluate(() => {
      const d = (globalThis as any).document;
      const bad: string[] = [];
      const check = (sel: string, axis: 'x' | 'y') =>
        d.querySelectorAll(sel).forEach((e: any) => {
          if (axis === 'x' ? e.scrollWidth > e.clientWidth + 1 : e.scrollHeight > e.clientHeight + 1) bad.push(`${sel}: ${e.textContent.slice(0, 40)}`);
        });
      check('.advanced .field > span:first-child', 'x');
      check('.export .field', 'x');
      check('.export-paths li', 'x');
      check('.view-toolbar', 'x');
      check('.dock > .panel', 'y');
      return bad;
    });
    expect(overflow).toEqual([]);
    expect(await page.getByLabel('Method').inputValue()).toBe('lbfgs');
    expect(await page.getByLabel('Method').locator('option:checked').textContent()).toBe('L-BFGS');
    await page.getByLabel('Normalise output').uncheck();
    expect(await page.getByLabel('Peak (dBFS)').isDisabled()).toBe(true);
    await page.getByLabel('Normalise output').check();
    await page.getByText('Advanced settings').click();
  }, 120_000);

  it('a reload keeps every lane: the take is still there, plays and exports', async () => {
    const contentName = await page.getByLabel('Content lane').locator('.lane-name').textContent();
    const takeInfo = await page.getByLabel('Take 1 file info').textContent();
    const takeParams = await page.getByLabel('Take 1 lane').locator('.lane-params').textContent();
    await page.reload();
    await waitForDemo(page);
    await page.getByLabel('Take 1 lane').waitFor({ timeout: 30_000 });
    expect(await page.getByLabel('Content lane').locator('.lane-name').textContent()).toBe(contentName);
    expect(await page.getByLabel('Take 1 file info').textContent()).toBe(takeInfo);
    expect(await page.getByLabel('Take 1 lane').locator('.lane-params').textContent()).toBe(takeParams);
    expect(await page.locator('.lane-take').count()).toBe(1);
    await waitForSpectrogram(page, 'Take 1');
    await shot(page, 'reloaded-take-kept');

    await page.getByRole('button', { name: 'Listen to Take 1' }).first().click();
    await page.getByLabel('Play', { exact: true }).click();
    await page.waitForTimeout(600);
    expect(await position(page)).toBeGreaterThan(0.2);
    await page.getByLabel('Pause', { exact: true }).click();

    const { readdirSync } = await import('node:fs');
    const before = new Set(readdirSync(session.server.exportDir));
    await page.getByRole('button', { name: /^Export (take|\d+ takes)$/ }).click();
    await page.getByLabel('Exported files').waitFor({ timeout: 30_000 });
    const added = readdirSync(session.server.exportDir).filter((f) => !before.has(f) && f.endsWith('.wav'));
    expect(added).toHaveLength(1);
    const wav = decodeWav(new Uint8Array(readFileSync(`${session.server.exportDir}/${added[0]}`)), added[0]);
    expect(wav.frames / wav.sampleRate).toBeCloseTo(Number(/([\d.]+) s/.exec(takeInfo ?? '')![1]), 1);
  }, 120_000);

  it('a region dragged on the content lane sets the fields, and the render covers exactly it', async () => {
    const strip = page.getByLabel('Region: drag to set, double-click to clear');
    // The lanes scroll to each new take: bring the content lane's strip back into sight.
    await strip.scrollIntoViewIfNeeded();
    const box = (await strip.boundingBox())!;
    const [vs, ve] = await viewRange(page, 'Content');
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + 0.2 * box.width, y);
    await page.mouse.down();
    await page.mouse.move(box.x + 0.35 * box.width, y, { steps: 4 });
    await page.mouse.move(box.x + 0.5 * box.width, y, { steps: 4 });
    await page.mouse.up();
    const start = Number(await page.getByLabel('Region start (s)').inputValue());
    const end = Number(await page.getByLabel('Region end (s)').inputValue());
    // Within a pixel of where the mouse went.
    const px = (ve - vs) / box.width;
    expect(Math.abs(start - (vs + 0.2 * (ve - vs)))).toBeLessThan(1.5 * px);
    expect(Math.abs(end - (vs + 0.5 * (ve - vs)))).toBeLessThan(1.5 * px);
    expect(await strip.textContent()).toContain(`${(end - start).toFixed(2)} s`);
    await shot(page, 'region-dragged');

    await setIterations(page, 8, 16);
    await page.getByRole('button', { name: 'Render', exact: true }).click();
    await page.getByLabel('Take 2 lane').waitFor({ timeout: 120_000 });
    const info = (await page.getByLabel('Take 2 file info').textContent()) ?? '';
    const seconds = Number(/^([\d.]+) s/.exec(info)![1]);
    // The read-out rounds to 10 ms; the engine cuts the region to whole samples.
    expect(Math.abs(seconds - (end - start))).toBeLessThan(0.011);
    // The take sits at the region on the shared timeline.
    await waitForSpectrogram(page, 'Take 2');
    await shot(page, 'region-take');
  }, 150_000);

  it('zoom and scroll move the visible time range of every lane together', async () => {
    const lanes = ['Content', 'Style', 'Take 1', 'Take 2'];
    const ranges = async () => Promise.all(lanes.map((l) => viewRange(page, l)));
    const ticks = async () => page.locator('.ruler .tick').allTextContents();
    const same = (rs: number[][]) => rs.every((r) => r[0] === rs[0][0] && r[1] === rs[0][1]);
    const pixels = () => page.getByLabel('Content spectrogram').evaluate((c: any) => c.toDataURL());

    const r0 = await ranges();
    expect(same(r0)).toBe(true);
    expect(r0[0][0]).toBe(0);
    const t0 = await ticks();
    const p0 = await pixels();

    await page.getByLabel('Zoom in').click();
    const r1 = await ranges();
    expect(same(r1)).toBe(true);
    expect((r1[0][1] - r1[0][0]) / (r0[0][1] - r0[0][0])).toBeCloseTo(0.5, 2);
    expect(await page.getByLabel('Zoom level').textContent()).toBe('2.0×');
    expect(await ticks()).not.toEqual(t0);
    expect(await pixels()).not.toBe(p0);

    // Ctrl+wheel zooms further around the pointer (and not the page).
    // The lanes scroll to each new take: bring the content lane back into sight first.
    await page.getByLabel('Content spectrogram').scrollIntoViewIfNeeded();
    const body = (await page.getByLabel('Content spectrogram').boundingBox())!;
    await page.mouse.move(body.x + body.width / 2, body.y + body.height / 2);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('[aria-label="Zoom level"]').textContent !== '2.0×');
    const r2 = await ranges();
    expect(same(r2)).toBe(true);
    expect(r2[0][1] - r2[0][0]).toBeLessThan(r1[0][1] - r1[0][0]);
    expect(await page.evaluate(() => (globalThis as any).visualViewport.scale)).toBe(1);

    // The scroll bar and Shift+wheel move every lane's window by the same amount.
    const span = r2[0][1] - r2[0][0];
    await page.getByLabel('Scroll', { exact: true }).fill(String(span));
    const r3 = await ranges();
    expect(same(r3)).toBe(true);
    expect(r3[0][0]).toBeCloseTo(span, 1);
    expect(await page.locator('.ruler-head').textContent()).toMatch(/^00:0\d\.\d{3}$/);
    await page.mouse.move(body.x + body.width / 2, body.y + body.height / 2);
    await page.keyboard.down('Shift');
    await page.mouse.wheel(0, 200);
    await page.keyboard.up('Shift');
    await page.waitForFunction((s0) => Number((globalThis as any).document.querySelector('.lane-body').dataset.viewStart) > s0, r3[0][0]);
    const r4 = await ranges();
    expect(same(r4)).toBe(true);
    expect(r4[0][1] - r4[0][0]).toBeCloseTo(span, 2);
    await shot(page, 'zoomed-scrolled');

    await page.getByLabel('Zoom to fit').click();
    expect(await ranges()).toEqual(r0);
  }, 60_000);

  it('saves a preset that is still there after a reload', async () => {
    const alpha = await page.getByLabel('α Content weight value', { exact: true }).inputValue();
    await page.getByLabel('Save preset as').click();
    await page.getByLabel('New preset name').fill('E2E bright strings');
    await page.getByLabel('Confirm save as').click();
    await page.getByLabel('Load preset E2E bright strings').waitFor();
    await expect(page.getByLabel('Preset modified').count()).resolves.toBe(0);
    await shot(page, 'preset-saved');
    await page.reload();
    await waitForDemo(page);
    await page.getByLabel('Load preset E2E bright strings').click();
    expect(await page.getByLabel('Current preset').textContent()).toBe('E2E bright strings');
    expect(await page.getByLabel('α Content weight value', { exact: true }).inputValue()).toBe(alpha);
    await shot(page, 'preset-after-reload');
  }, 120_000);

  it('a bad WAV dropped on a lane shows the engine’s message and keeps the lane', async () => {
    const name = await page.getByLabel('Style lane').locator('.lane-name').textContent();
    const dt = await page.evaluateHandle(() => {
      const w = globalThis as any;
      const d = new w.DataTransfer();
      d.items.add(new w.File([new TextEncoder().encode('RIFF\u0004\u0000\u0000\u0000WAVEjunk')], 'broken.wav', { type: 'audio/wav' }));
      return d;
    });
    await page.getByLabel('Style lane').dispatchEvent('drop', { dataTransfer: dt });
    const err = page.getByLabel('Style error', { exact: true });
    await err.waitFor({ timeout: 30_000 });
    expect(await err.textContent()).toMatch(/broken\.wav/);
    expect(await page.getByLabel('Style lane').locator('.lane-name').textContent()).toBe(name);
    await shot(page, 'bad-wav');
    await page.getByLabel('Dismiss Style error').click();
  }, 120_000);

  it('a cancelled render leaves no take', async () => {
    await setIterations(page, 3000);
    const lanesBefore = await page.locator('.lane-take').count();
    await page.getByRole('button', { name: 'Render', exact: true }).click();
    // 3,000 iterations may be estimated over five minutes: then the page asks first.
    const question = page.getByRole('alertdialog', { name: 'Question' });
    const optimising = page.getByTestId('render-status').filter({ hasText: /Optimising \d+\/3000/ });
    await question.or(optimising).first().waitFor({ timeout: 60_000 });
    if (await question.isVisible()) {
      expect(await question.textContent()).toMatch(/This render will take .+\. Start it\?/);
      await question.getByRole('button', { name: 'Render', exact: true }).click();
    }
    await optimising.waitFor({ timeout: 60_000 });
    await page.getByLabel('Cancel render').click();
    await page.locator('.job.cancelled').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    expect(await page.locator('.lane-take').count()).toBe(lanesBefore);
    await shot(page, 'cancelled');
  }, 120_000);
  it('a reload in the middle of a render still gets its take', async () => {
    const before = await page.locator('.lane-take').count();
    await setIterations(page, 30);
    await page.getByRole('button', { name: 'Render', exact: true }).click();
    await page
      .getByTestId('render-status')
      .filter({ hasText: /Optimising/ })
      .waitFor({ timeout: 60_000 });
    await page.reload();
    await waitForDemo(page);
    await page.getByLabel(`Take ${before + 1} lane`).waitFor({ timeout: 120_000 });
    expect(await page.locator('.lane-take').count()).toBe(before + 1);
    await waitForSpectrogram(page, `Take ${before + 1}`);
    await shot(page, 'take-after-reload-mid-render');
  }, 150_000);

  it('a musician’s session: an MP3 in, a render, undo a slider move, A/B at matched loudness, and a restart brings it all back', async () => {
    // The demo melody as a 128 kbit/s MP3, made here by Debian's ffmpeg.
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'gramophone-e2e-mp3-'));
    const mp3 = path.join(tmp, 'melody.mp3');
    const made = spawnSync('ffmpeg', ['-y', '-loglevel', 'error', '-i', path.join(ROOT, 'assets', 'demo', 'content.wav'), '-codec:a', 'libmp3lame', '-b:a', '128k', mp3], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    // As bytes: given a path, the browser would read the file only later, after it is gone.
    await page.getByLabel('Choose Content file').setInputFiles({ name: 'melody.mp3', mimeType: 'audio/mpeg', buffer: readFileSync(mp3) });
    rmSync(tmp, { recursive: true, force: true });
    await page.getByLabel('Content lane').locator('.lane-name').filter({ hasText: 'melody.mp3' }).waitFor({ timeout: 60_000 });
    await waitForSpectrogram(page, 'Content');

    // Render from it.
    const before = await page.locator('.lane-take').count();
    await setIterations(page, 8, 16);
    await page.getByRole('button', { name: 'Render', exact: true }).click();
    const takeLane = page.getByLabel(`Take ${before + 1} lane`);
    await takeLane.waitFor({ timeout: 120_000 });
    expect(await page.getByLabel(`Take ${before + 1} settings`).getAttribute('title')).toContain('Made from "melody.mp3"');
    await shot(page, 'mp3-take');

    // Undo a slider move (Ctrl+Z), redo it (Ctrl+Shift+Z), undo again.
    const value = page.getByLabel('β Style weight value', { exact: true });
    const was = await value.inputValue();
    const slider = page.getByLabel('β Style weight', { exact: true });
    const position0 = Number(await slider.inputValue());
    await slider.focus();
    for (let i = 0; i < 10; i++) await slider.press('ArrowRight');
    // The field follows the store a frame later: wait for the tenth step to reach it.
    const moved = String(positionToWeight(position0 + 10));
    await expect.poll(() => value.inputValue()).toBe(moved);
    expect(moved).not.toBe(was);
    // React redraws the field on the next frame: poll for it.
    await page.keyboard.press('Control+z');
    await expect.poll(() => value.inputValue()).toBe(was);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => value.inputValue()).toBe(moved);
    await page.keyboard.press('Control+z');
    await expect.poll(() => value.inputValue()).toBe(was);

    // A/B: whichever lane is heard, it is heard at the same integrated loudness.
    await page.getByLabel('Match loudness').check();
    const heardAt = async (key: number) => {
      await page.keyboard.press(String(key));
      return page.evaluate((i) => {
        const g = (globalThis as any).__gramophone;
        const s = g.store.getState();
        const id = [s.contentId, s.styleId, ...s.takeIds][i];
        const gain = g.controller.transport.gains[id];
        const others = Object.entries(g.controller.transport.gains).filter(([k, v]) => k !== id && (v as number) > 0);
        return { lufs: s.tracks[id].info.loudness.lufs + 20 * Math.log10(gain), others: others.length };
      }, key - 1);
    };
    await page.evaluate(() => (globalThis as any).document.activeElement?.blur());
    const lanes = await page.locator('.lane').count();
    const levels = [];
    for (let k = 1; k <= Math.min(9, lanes); k++) levels.push(await heardAt(k));
    console.log(`matched loudness of ${levels.length} lanes (LUFS): ${levels.map((l) => l.lufs.toFixed(2)).join(' ')}`);
    expect(levels.every((l) => l.others === 0)).toBe(true);
    expect(Math.max(...levels.map((l) => l.lufs)) - Math.min(...levels.map((l) => l.lufs))).toBeLessThan(0.1);
    // And the meter moves while it plays.
    await page.keyboard.press('1');
    await page.keyboard.press('Home');
    await page.getByLabel('Play', { exact: true }).click();
    await page.waitForFunction(() => Number((globalThis as any).document.querySelector('[aria-label="Level meter"]').dataset.peakDb) > -60, undefined, { timeout: 30_000 });
    await shot(page, 'matched-ab-playing');
    await page.getByLabel('Pause', { exact: true }).click();

    // Readable spectrograms. A style longer than the timeline scrolls in its own lane.
    const rate = 22050;
    const long = new Float32Array(rate * 25).map((_, i) => 0.3 * Math.sin((2 * Math.PI * (220 + (i / rate) * 20) * i) / rate));
    const wav = encodeWav([long], rate, 'pcm16');
    await page.getByLabel('Choose Style file').setInputFiles({ name: 'long-style.wav', mimeType: 'audio/wav', buffer: Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength) });
    await page.getByLabel('Style file info').filter({ hasText: '25.00 s' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Zoom to fit').click();
    expect((await viewRange(page, 'Content'))[1]).toBeCloseTo(10, 1);
    await page.getByLabel('Style scroll').fill('12');
    expect((await viewRange(page, 'Style'))[0]).toBeCloseTo(12, 1);
    expect((await viewRange(page, 'Content'))[0]).toBe(0);
    // A click on a lane moves the playhead there.
    // The lanes scroll to each new take: bring the content lane back into sight first.
    await page.getByLabel('Content spectrogram').scrollIntoViewIfNeeded();
    const body = (await page.getByLabel('Content spectrogram').boundingBox())!;
    await page.mouse.click(body.x + body.width / 2, body.y + body.height / 2);
    await expect.poll(() => position(page)).toBeCloseTo(5, 0);
    // Dragging a lane's lower edge makes it (and its spectrogram) taller.
    const h0 = (await page.getByLabel('Content spectrogram').boundingBox())!.height;
    const edge = (await page.getByLabel('Content height').boundingBox())!;
    await page.mouse.move(edge.x + 300, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + 300, edge.y + 80, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => (await page.getByLabel('Content spectrogram').boundingBox())!.height).toBeGreaterThan(h0 + 60);
    // Another FFT size re-analyses; zoomed in far, the view is analysed again at its own detail.
    const pixels = () => page.getByLabel('Content spectrogram').evaluate((c: any) => c.toDataURL());
    const p0 = await pixels();
    await page.getByLabel('Spectrogram FFT size').selectOption('512');
    await expect.poll(pixels).not.toBe(p0);
    for (let i = 0; i < 4; i++) await page.getByLabel('Zoom in').click();
    await page.waitForFunction(() => (globalThis as any).document.querySelector('canvas[aria-label="Content spectrogram"]').dataset.detail === 'zoomed', undefined, { timeout: 20_000 });
    await shot(page, 'long-style-tall-lane-zoomed');
    await page.getByLabel('Zoom to fit').click();

    // Restart the server: the session is back, as it was.
    const takeName = await takeLane.locator('.lane-name').textContent();
    const takes = await page.locator('.lane-take').count();
    const beta = await value.inputValue();
    await page.waitForTimeout(1000);
    await session.server.stop();
    session.server = await startWebServer({ dataDir });
    await page.goto(session.server.url);
    await page.getByLabel('Content file info').waitFor({ timeout: 60_000 });
    await page.getByLabel(`Take ${takes} lane`).waitFor({ timeout: 60_000 });
    expect(await page.getByLabel('Content lane').locator('.lane-name').textContent()).toBe('melody.mp3');
    expect(await page.locator('.lane-take').count()).toBe(takes);
    expect(
      await page
        .getByLabel(`Take ${before + 1} lane`)
        .locator('.lane-name')
        .textContent(),
    ).toBe(takeName);
    expect(await page.getByLabel('β Style weight value', { exact: true }).inputValue()).toBe(beta);
    expect(await page.getByRole('dialog', { name: 'Welcome' }).count()).toBe(0);
    expect(await page.getByLabel('Style lane').locator('.lane-name').textContent()).toBe('long-style.wav');
    expect(await page.getByLabel('Spectrogram FFT size').inputValue()).toBe('512');
    await waitForSpectrogram(page, `Take ${before + 1}`);
    await shot(page, 'session-after-restart');
  }, 300_000);

  it('a 10-minute track stays smooth: no per-bin DOM, no React renders while playing', async () => {
    const rate = 22050;
    const seconds = 600;
    const x = new Float32Array(rate * seconds);
    // A slow sweep under a 2 Hz pulse: a spectrogram with something in every frame.
    for (let i = 0, ph = 0; i < x.length; i++) {
      const t = i / rate;
      ph += (2 * Math.PI * (200 + 1800 * ((t / 30) % 1))) / rate;
      x[i] = 0.3 * Math.sin(ph) * (0.55 + 0.45 * Math.cos(2 * Math.PI * 2 * t));
    }
    const wav = encodeWav([x], rate, 'pcm16');
    const domBefore = await page.locator('.lanes *').count();
    await page.getByLabel('Choose Content file').setInputFiles({ name: 'ten-minutes.wav', mimeType: 'audio/wav', buffer: Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength) });
    await page.getByLabel('Content file info').filter({ hasText: '600.00 s' }).waitFor({ timeout: 120_000 });
    await waitForSpectrogram(page, 'Content', 120_000);
    // This file's spectrogram, not the previous one's stretched: at fit zoom it reaches the
    // right edge (the lane background shows nowhere in the last tenth).
    expect(await backgroundFraction(page, 'Content', 0.9, 1)).toBeLessThan(0.01);
    // No per-bin or per-second DOM: the lane stack has as many elements as before, give or
    // take the ruler's ticks and the region strip's label.
    expect(Math.abs((await page.locator('.lanes *').count()) - domBefore)).toBeLessThan(20);
    await page.getByLabel('Zoom in').click();
    await page.getByLabel('Zoom in').click();
    // Start of the track in view, so the playhead has 150 s to go before the view pages on.
    await page.getByLabel('Scroll', { exact: true }).fill('0');
    await page.keyboard.press('Home');
    await shot(page, 'ten-minutes-loaded');

    /** rAF timestamps over `ms` in the page, with the render and state-update counts around them. */
    const sample = (ms: number) =>
      page.evaluate(async (ms: number) => {
        const w = globalThis as any;
        const g = w.__gramophone;
        const total = () => Object.values(g.renders as Record<string, number>).reduce((a, b) => a + b, 0);
        const r0 = total();
        const s0 = g.storeChanges;
        // Which parts of the state changed, and how long the main thread was blocked.
        const changed = new Set<string>();
        let prev = g.store.getState();
        const off = g.store.subscribe(() => {
          const next = g.store.getState();
          for (const k of Object.keys(next)) if (next[k] !== prev[k]) changed.add(k);
          prev = next;
        });
        const longTasks: number[] = [];
        const po = new w.PerformanceObserver((list: any) => {
          for (const e of list.getEntries()) longTasks.push(e.duration);
        });
        po.observe({ type: 'longtask' });
        const times: number[] = await new Promise((resolve) => {
          const t: number[] = [];
          const start = w.performance.now();
          const f = (now: number) => {
            t.push(now);
            if (now - start < ms) w.requestAnimationFrame(f);
            else resolve(t);
          };
          w.requestAnimationFrame(f);
        });
        off();
        po.disconnect();
        return { times, renders: total() - r0, storeChanges: g.storeChanges - s0, changed: [...changed], longTasks };
      }, ms);
    const stats = (times: number[]) => {
      const d = times
        .slice(1)
        .map((t, i) => t - times[i])
        .sort((a, b) => a - b);
      const q = (p: number) => d[Math.min(d.length - 1, Math.floor(p * d.length))];
      return { frames: d.length, p50: q(0.5), p95: q(0.95), max: d[d.length - 1] };
    };

    await page.getByRole('button', { name: 'Listen to Content' }).first().click();
    await page.getByLabel('Play', { exact: true }).click();
    await page.getByLabel('Pause', { exact: true }).waitFor();
    const p0 = await position(page);
    const playing = await sample(2000);
    const played = (await position(page)) - p0;
    const playStats = stats(playing.times);

    // Now zoom and scroll while it plays: these do re-render (the view changed), but each
    // re-render only redraws canvases from cached bitmaps and peaks.
    // The lanes scroll to each new take: bring the content lane back into sight first.
    await page.getByLabel('Content spectrogram').scrollIntoViewIfNeeded();
    const body = (await page.getByLabel('Content spectrogram').boundingBox())!;
    await page.mouse.move(body.x + body.width / 2, body.y + body.height / 2);
    const during = sample(2000);
    for (let i = 0; i < 6; i++) {
      await page.keyboard.down('Control');
      await page.mouse.wheel(0, i % 2 ? 200 : -200);
      await page.keyboard.up('Control');
      await page.keyboard.down('Shift');
      await page.mouse.wheel(0, 300);
      await page.keyboard.up('Shift');
      await page.waitForTimeout(120);
    }
    const moving = await during;
    const moveStats = stats(moving.times);
    // Scrolling away while it plays sticks: the view does not snap back to the playhead.
    const [viewStart] = await viewRange(page, 'Content');
    expect(viewStart).toBeGreaterThan((await position(page)) + 1);
    await page.getByLabel('Pause', { exact: true }).click();
    await shot(page, 'ten-minutes-zoomed');

    // But a playhead that plays past the right edge is followed: the view pages on.
    await page.getByLabel('Scroll', { exact: true }).fill('0');
    const [, end0] = await viewRange(page, 'Content');
    const ruler = (await page.getByLabel('Timeline: click or drag to move the playhead').boundingBox())!;
    await page.mouse.click(ruler.x + ruler.width - 4, ruler.y + ruler.height / 2);
    expect(await position(page)).toBeGreaterThan(end0 - 2);
    await page.getByLabel('Play', { exact: true }).click();
    await page.waitForFunction((e0) => Number((globalThis as any).document.querySelector('.lane-body').dataset.viewStart) > e0 / 2, end0, { timeout: 10_000 });
    await page.getByLabel('Pause', { exact: true }).click();

    const summary = (r: Awaited<ReturnType<typeof sample>>) => ({
      renders: r.renders,
      storeChanges: r.storeChanges,
      changed: r.changed,
      longTasks: r.longTasks.length,
      longestTask: Math.round(Math.max(0, ...r.longTasks)),
    });
    const report = { playing: { ...playStats, ...summary(playing), played }, zoomScroll: { ...moveStats, ...summary(moving) } };
    console.log(`10-minute track frame timing (ms): ${JSON.stringify(report)}`);
    expect(played).toBeGreaterThan(1);
    // Playback is drawn outside React: a handful of renders at most, not one per frame.
    expect(playing.renders).toBeLessThan(10);
    expect(playStats.frames).toBeGreaterThan(30);
    expect(playStats.p95).toBeLessThan(100);
    expect(moveStats.p95).toBeLessThan(100);
  }, 240_000);

  it('the Advanced section switches a stack between random and the trained instrument net', async () => {
    await page.getByLabel('Load preset Verma & Smith (trained)').click();
    await page.getByText('Advanced settings').click();
    const weights = page.getByLabel('Network weights');
    const layers = page.getByLabel('Layers', { exact: true }).locator('li');
    expect(await weights.locator('option:checked').textContent()).toBe('trained instrument net');
    expect(await layers.count()).toBe(14);
    await weights.selectOption('random');
    expect(await weights.locator('option:checked').textContent()).toBe('random (seed)');
    expect(await layers.count()).toBe(14);
    // From another stack, the trained net brings back the stack it was trained as.
    await page.getByLabel('Layer stack').selectOption({ label: 'One conv 2-D with tanh (Jain & Raj)' });
    expect(await layers.count()).toBe(2);
    await weights.selectOption('instrument-cnn-v1');
    expect(await layers.count()).toBe(14);
    expect(await page.getByLabel('Layer 1 kind').inputValue()).toBe('conv2d');
    await shot(page, 'trained-network-switch');
    await page.getByText('Advanced settings').click();
  }, 60_000);
});
