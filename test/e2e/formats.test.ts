/**
 * Files a newcomer opens in the workstation (Chromium, local web server, real engine), each
 * made by ffmpeg in the test run and checked at its full length on the lane: an M4A (AAC),
 * which the engine refuses and the page decodes with the browser's own decoder; a FLAC
 * whose last frame is a dozen bytes of silence; a mono MP3, shown as mono. And the first
 * words a newcomer reads (the welcome sheet, the export button's name) are right.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, chromiumUnavailable, dismissIntro, screenshotter, workstationSession } from './harness';

const skip = chromiumUnavailable();
if (skip) console.warn(`Skipping the Chromium end-to-end tests: ${skip}`);

const DEMO = path.join(ROOT, 'assets', 'demo', 'content.wav');

describe.skipIf(!!skip)('opening M4A, FLAC and MP3 in the workstation', () => {
  let page: Page;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gramophone-e2e-formats-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const shot = screenshotter('formats');

  /** Make `name` from the demo content with ffmpeg `args` (between input and output). */
  const make = (name: string, args: string[]) => {
    const out = path.join(tmp, name);
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', DEMO, ...args, out]);
    return readFileSync(out);
  };

  /** Put `bytes` on the content lane and wait for its info line. */
  async function open(name: string, mimeType: string, bytes: Buffer): Promise<string> {
    await page.getByLabel('Choose Content file').setInputFiles({ name, mimeType, buffer: bytes });
    await page.getByLabel('Content lane').locator('.lane-name').filter({ hasText: name }).waitFor({ timeout: 60_000 });
    return (await page.getByLabel('Content file info').textContent()) ?? '';
  }

  // The introduction stays: the first test reads it.
  workstationSession({ width: 1024, height: 640, keepIntro: true }, (p) => {
    page = p;
  });

  it('the welcome sheet and the export button say what the page has, in plain words', async () => {
    const welcome = page.getByRole('dialog', { name: 'Welcome' });
    await welcome.waitFor({ timeout: 30_000 });
    const text = (await welcome.textContent()) ?? '';
    // No doubled full stop after "Open…", and no advice to raise a weight the default preset has off.
    expect(text).not.toMatch(/…\./);
    expect(text).not.toMatch(/more style takes on/);
    expect(text).toMatch(/Timbre transfer/);
    await dismissIntro(page);
    // The button's accessible name is what it says: it exports a take, not "stems".
    expect(await page.getByRole('button', { name: 'Export take' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Export stems' }).count()).toBe(0);
  }, 60_000);

  it('an M4A (AAC, stereo 44.1 kHz) loads at its full length through the browser decoder', async () => {
    const m4a = make('voice-memo.m4a', ['-t', '6', '-ac', '2', '-ar', '44100', '-c:a', 'aac', '-b:a', '128k']);
    expect(await open('voice-memo.m4a', 'audio/mp4', m4a)).toMatch(/^6\.00 s · 44\.10? kHz · stereo$/);
    const frames = await page.evaluate(() => {
      const g = (globalThis as unknown as { __gramophone: { store: { getState(): { tracks: Record<string, { kind: string; info: { duration: number; sampleRate: number } }> } } } }).__gramophone;
      const t = Object.values(g.store.getState().tracks).find((x) => x.kind === 'content')!;
      return Math.round(t.info.duration * t.info.sampleRate);
    });
    expect(frames).toBe(6 * 44100);
    await shot(page, 'm4a-loaded');
  }, 120_000);

  it('a FLAC made by ffmpeg loads at its STREAMINFO length', async () => {
    const flac = make('take.flac', ['-c:a', 'flac']);
    expect(await open('take.flac', 'audio/flac', flac)).toBe('10.00 s · 22.05 kHz · mono');
  }, 120_000);

  it('a mono MP3 is shown as mono', async () => {
    const mp3 = make('memo.mp3', ['-ac', '1', '-c:a', 'libmp3lame', '-b:a', '96k']);
    expect(await open('memo.mp3', 'audio/mpeg', mp3)).toMatch(/ · 22\.05 kHz · mono$/);
    await shot(page, 'mp3-mono');
  }, 120_000);
});
