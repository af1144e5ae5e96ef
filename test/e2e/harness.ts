/**
 * End-to-end plumbing: build once, start the local web server (real engine) on a free port
 * with temporary data/export folders, launch the system Chromium through playwright-core,
 * save numbered screenshots, and read canvases.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The browser the UI tests drive: `GRAMOPHONE_CHROMIUM`, else Debian's Chromium. */
export const CHROMIUM = process.env.GRAMOPHONE_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

/** Why the browser tests cannot run here, or null if they can. */
export function chromiumUnavailable(): string | null {
  return existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set GRAMOPHONE_CHROMIUM)`;
}

/**
 * The Electron binary for the Electron tests: `GRAMOPHONE_ELECTRON`, else the one the
 * electron package downloaded (named in its path.txt, found without requiring the package,
 * whose require tries to download a missing binary). The reason in words when there is none.
 */
export function electronBinary(): { path: string } | { reason: string } {
  const chosen = process.env.GRAMOPHONE_ELECTRON;
  if (chosen) return existsSync(chosen) ? { path: chosen } : { reason: `GRAMOPHONE_ELECTRON=${chosen} does not exist` };
  const pkgDir = path.join(ROOT, 'node_modules', 'electron');
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { reason: 'no Electron binary (node_modules/electron/path.txt is missing: the binary cannot be downloaded on this machine; set GRAMOPHONE_ELECTRON to one)' };
  }
  const binary = path.join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { reason: `no Electron binary at ${binary} (set GRAMOPHONE_ELECTRON to one)` };
}

export interface WebServer {
  url: string;
  dataDir: string;
  exportDir: string;
  output: () => string;
  /** Stop the server (SIGTERM: it saves the session first) and remove its folders (a `dataDir` passed in stays). */
  stop(): Promise<void>;
}

/**
 * Start `dist/main/web-server.js` and wait for the URL it prints: on port 0, or with
 * `savedIdentity` on the port and token its data folder kept from the last start.
 */
export async function startWebServer(opts: { dataDir?: string; savedIdentity?: boolean } = {}): Promise<WebServer> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gramophone-e2e-'));
  const dataDir = opts.dataDir ?? path.join(tmp, 'data');
  const exportDir = path.join(tmp, 'export');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(exportDir, { recursive: true });
  const port = opts.savedIdentity ? [] : ['--port', '0'];
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'dist', 'main', 'web-server.js'), ...port, '--data-dir', dataDir, '--export-dir', exportDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web server printed no URL in 60 s:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Gramophone UI: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web server exited with ${code}:\n${out}`));
    });
  });
  return {
    // The page puts its controller and counters on window.__gramophone (renderer/test-hooks.ts).
    url: `${url}&test-hooks`,
    dataDir,
    exportDir,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * A new page of the workstation at `viewport` (width, height in CSS px), its errors logged,
 * loaded until the content lane has its file.
 */
export async function openWorkstation(browser: Browser, url: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  await page.getByLabel('Content file info').waitFor({ timeout: 60_000 });
  return page;
}

/** What a browser test opens: the web server, the browser and the workstation page in it. */
export interface WorkstationSession {
  /** The running server; a test that restarts it puts the new one here, so the session stops that one. */
  server: WebServer;
  browser: Browser;
  page: Page;
}

/** How to open a {@link WorkstationSession}. */
export interface SessionOptions {
  /** Viewport, CSS px. */
  width: number;
  height: number;
  /** Passed to {@link startWebServer}. */
  server?: Parameters<typeof startWebServer>[0];
  /** Wait for the style lane's file as well as the content's. */
  style?: boolean;
  /** Leave the first-run introduction showing, for a test that reads it. */
  keepIntro?: boolean;
}

/**
 * Start the web server, launch Chromium, open the workstation (loaded until the content lane,
 * and with `style` the style lane, has its file) and dismiss the introduction unless
 * `keepIntro`. What was started is stopped again if a later step fails.
 */
export async function openWorkstationSession(opts: SessionOptions): Promise<WorkstationSession> {
  const server = await startWebServer(opts.server);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await openWorkstation(browser, server.url, { width: opts.width, height: opts.height });
    if (opts.style) await page.getByLabel('Style file info').waitFor({ timeout: 60_000 });
    if (!opts.keepIntro) await dismissIntro(page);
    return { server, browser, page };
  } catch (e) {
    await browser?.close();
    await server.stop();
    throw e;
  }
}

/** Close the browser, then stop the server (it saves the session) and remove its folders. */
export async function closeWorkstationSession(session: WorkstationSession): Promise<void> {
  await session.browser.close();
  await session.server.stop();
}

/**
 * For the describe block it is called in: open a {@link WorkstationSession} before its tests,
 * run `setup` on its page (within `timeout` ms, opening included), and close it after them.
 * The returned session is filled in once the tests run.
 */
export function workstationSession(opts: SessionOptions & { timeout?: number }, setup: (page: Page, session: WorkstationSession) => Promise<void> | void): WorkstationSession {
  const session = {} as WorkstationSession;
  let opened = false;
  beforeAll(async () => {
    Object.assign(session, await openWorkstationSession(opts));
    opened = true;
    await setup(session.page, session);
  }, opts.timeout ?? 180_000);
  afterAll(async () => {
    if (opened) await closeWorkstationSession(session);
  }, 120_000);
  return session;
}

/** Set the optimiser's (and if given Griffin-Lim's) iterations in the Advanced settings, opened and closed again. */
export async function setIterations(page: Page, iterations: number, glIterations?: number): Promise<void> {
  await page.getByText('Advanced settings').click();
  await page.getByLabel('Iterations', { exact: true }).fill(String(iterations));
  if (glIterations !== undefined) await page.getByLabel('Griffin-Lim iterations', { exact: true }).fill(String(glIterations));
  await page.getByText('Advanced settings').click();
}

/** Quick takes for a test: a region of the content (s) and fewer optimiser and Griffin-Lim iterations. */
export async function quickTakes(page: Page, region: { start: number; end: number }, iterations: number, glIterations: number): Promise<void> {
  await page.getByLabel('Region start (s)').fill(String(region.start));
  await page.getByLabel('Region start (s)').press('Enter');
  await page.getByLabel('Region end (s)').fill(String(region.end));
  await page.getByLabel('Region end (s)').press('Enter');
  await setIterations(page, iterations, glIterations);
}

/**
 * Dismiss the first-run introduction if it shows. Start-up shows it only once the demo pair
 * has loaded, which can be after the content lane has its file (the style still loading), so
 * this waits until start-up has decided: the introduction showing, or seen before.
 */
export async function dismissIntro(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const s = (globalThis as any).__gramophone?.store.getState();
      return !!s && (s.introSeen || s.overlay === 'intro');
    },
    undefined,
    { timeout: 60_000 },
  );
  const start = page.getByRole('dialog', { name: 'Welcome' }).getByRole('button', { name: 'Start' });
  if (await start.count()) await start.click();
}

/** Numbered screenshots of each step into test-artifacts/e2e/<prefix>-NN-<name>.png. */
export function screenshotter(prefix: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Shots from an earlier run would sit between this run's, numbered differently.
  for (const f of readdirSync(ARTIFACTS)) if (f.startsWith(`${prefix}-`) && f.endsWith('.png')) rmSync(path.join(ARTIFACTS, f));
  let n = 0;
  return async (page: Page, name: string) => {
    n++;
    await page.screenshot({ path: path.join(ARTIFACTS, `${prefix}-${String(n).padStart(2, '0')}-${name}.png`) });
  };
}

/**
 * Statistics of a canvas's pixels: how many distinct colours and the fraction of pixels
 * that differ from the first one. A blank (cleared or single-colour) canvas has 1 colour.
 */
export async function canvasStats(canvas: Locator): Promise<{ width: number; height: number; colours: number; nonBackground: number }> {
  // Runs in the page; typed loosely because this file is checked without the DOM library.
  return canvas.evaluate((el: unknown) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const c = el as any;
    const g = c.getContext('2d');
    const d: Uint8ClampedArray = g.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    let diff = 0;
    for (let i = 0; i < d.length; i += 4) {
      const v = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
      if (seen.size < 5000) seen.add(v);
      if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) diff++;
    }
    return { width: c.width, height: c.height, colours: seen.size, nonBackground: diff / (d.length / 4) };
  });
}
