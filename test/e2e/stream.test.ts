/**
 * Hearing a take while it renders, in Chromium with the real engine (issue 19): a 60 s
 * content (the demo six times over) rendered with the default preset as a stream — the time
 * from Render (pressed a few seconds after loading, as a musician would) to the first audible
 * sample on the page's audio clock, playback never running
 * past what has arrived (it waits instead), the main thread's frame times — then a 4 s region
 * looping with Live on, a slider moved, and the new version heard from a loop start.
 * Figures are printed; screenshots of the streaming lane and of the live loop go to
 * test-artifacts/e2e/stream-*.png.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { decodeWav } from '../../engine/audio/wav';
import { encodeWav } from '../../engine/audio/wav-encode';
import { ROOT, chromiumUnavailable, screenshotter, workstationSession } from './harness';

const skip = chromiumUnavailable();
if (skip) console.warn(`Skipping the Chromium end-to-end tests: ${skip}`);

const CONTENT_SECONDS = 60;
const LOOP = { start: 20, end: 24 };

/** The demo's content repeated to CONTENT_SECONDS, as a float WAV. */
function longContent(): Buffer {
  const demo = decodeWav(new Uint8Array(readFileSync(path.join(ROOT, 'assets/demo/content.wav'))), 'content.wav');
  const rate = demo.sampleRate;
  const out = new Float32Array(CONTENT_SECONDS * rate);
  const src = demo.channels[0];
  for (let i = 0; i < out.length; i++) out[i] = src[i % src.length];
  const wav = encodeWav([out], rate, 'float32');
  return Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength);
}

/** What the in-page probe has seen (see `installProbe`). */
interface Probe {
  frames: number[];
  /** The longest frames and what the page was doing: ms, seconds rendered, the render's phase. */
  slow: { ms: number; rendered: number; phase: string; takes: number }[];
  /** Main-thread time the page spent taking in each chunk (playing it, filling the lane), ms. */
  chunkMs: number[];
  renderAt: number | null;
  /** When the transport first ran while the stream was the source (audio clock, s). */
  playingAt: number | null;
  firstAudible: number | null;
  overtaken: number;
  waits: number;
}

/**
 * A requestAnimationFrame probe in the page: frame-to-frame times, the audio clock when a
 * streaming take is first heard (the master's level above -60 dBFS while the stream is the
 * source), how often playback stood past what had arrived, and how often it waited.
 */
async function installProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const g = (globalThis as any).__gramophone;
    const probe = {
      chunkMs: [] as number[],
      frames: [] as number[],
      slow: [] as { ms: number; rendered: number; phase: string; takes: number }[],
      renderAt: null as number | null,
      playingAt: null as number | null,
      firstAudible: null as number | null,
      overtaken: 0,
      waits: 0,
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (globalThis as any).__probe = probe;
    const stream = g.controller.stream;
    const onChunk = stream.onChunk.bind(stream);
    stream.onChunk = (c: unknown) => {
      const t = performance.now();
      onChunk(c);
      probe.chunkMs.push(performance.now() - t);
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const requestAnimationFrame = (globalThis as any).requestAnimationFrame as (f: () => void) => void;
    let last = performance.now();
    let wasWaiting = false;
    const tick = () => {
      const now = performance.now();
      probe.frames.push(now - last);
      const s = g.store.getState();
      if (now - last > 100) {
        const job = s.renders.find((j: { status: string }) => j.status === 'running');
        probe.slow.push({
          ms: Math.round(now - last),
          rendered: s.stream?.rendered ?? -1,
          phase: job?.progress ? `${job.progress.segment?.index}:${job.progress.phase}` : '-',
          takes: s.takeIds.length,
        });
      }
      last = now;
      const pb = g.controller.playback;
      if (s.stream) {
        if (probe.renderAt === null) probe.renderAt = pb.clock();
        if (probe.playingAt === null && s.transport.source === 'stream' && pb.isPlaying()) probe.playingAt = pb.clock();
        if (probe.firstAudible === null && s.transport.source === 'stream' && pb.isPlaying() && pb.levels().peak > 1e-3) probe.firstAudible = pb.clock();
        const at = pb.position() - s.stream.offset;
        const arrived = s.stream.spans.some((x: { from: number; to: number }) => at >= x.from - 0.05 && at <= x.to + 0.05);
        if (pb.isPlaying() && !arrived && at > 0.05 && s.stream.rendered < s.stream.total) probe.overtaken++;
        if (s.stream.waiting && !wasWaiting) probe.waits++;
        wasWaiting = s.stream.waiting;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** The chunk intake times (ms): their median, 90th percentile, largest, and all of them in order. */
function chunkFigures(ms: number[]): { median: number; p90: number; max: number; all: number[] } {
  const sorted = [...ms].sort((a, b) => a - b).map((x) => Number(x.toFixed(1)));
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p90: at(0.9), max: sorted.at(-1)!, all: sorted };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const state = (page: Page) => page.evaluate(() => (globalThis as any).__gramophone.store.getState());

describe.skipIf(!!skip)('streaming render and live loop', () => {
  let page: Page;
  const shot = screenshotter('stream');
  workstationSession({ width: 1366, height: 768, style: true, timeout: 240_000 }, async (p) => {
    page = p;
    await page.getByLabel('Choose Content file').setInputFiles({ name: 'sixty.wav', mimeType: 'audio/wav', buffer: longContent() });
    await page.waitForFunction(
      (seconds: number) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const s = (globalThis as any).__gramophone.store.getState();
        return Math.round(s.tracks[s.contentId]?.info.duration ?? 0) === seconds;
      },
      CONTENT_SECONDS,
      { timeout: 60_000 },
    );
    await installProbe(page);
  });

  it('plays the take from the first segment on, never past what has arrived, without stalling the page', async () => {
    // The moment a musician takes between loading a file and pressing Render: the page readies
    // the render meanwhile (renderer/app/render-readier.ts), the take's first segment included.
    await page.waitForTimeout(4000);
    await page.getByRole('button', { name: 'Render', exact: true }).click();
    // Play at once: the transport waits for the first segment.
    await page.getByRole('button', { name: 'Play' }).click();
    await page.getByTestId('stream-fill').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.evaluate(() => (globalThis as { __probe?: Probe }).__probe?.firstAudible ?? null), { timeout: 120_000 }).not.toBeNull();
    await expect.poll(async () => (await state(page)).stream?.rendered ?? 0, { timeout: 120_000 }).toBeGreaterThan(6);
    await shot(page, 'streaming-lane');
    await expect.poll(async () => (await state(page)).stream, { timeout: 420_000, interval: 1000 }).toBeNull();
    const s = await state(page);
    expect(s.takeIds.length).toBe(1);
    const probe = (await page.evaluate(() => (globalThis as { __probe?: Probe }).__probe)) as Probe;
    const frames = [...probe.frames].sort((a, b) => a - b);
    const pct = (q: number) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))];
    const stalls = frames.filter((f) => f > 100);
    // When the first chunk reached the page, from the stream's start, on the same audio clock.
    const firstChunk = await page.evaluate(() => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const sound = (globalThis as any).__gramophone.controller.stream.firstSound as Map<string, number>;
      return [...sound.values()].at(-1) ?? null;
    });
    const figures = {
      first_chunk_s: firstChunk === null ? null : Number(firstChunk.toFixed(3)),
      transport_running_s: probe.playingAt !== null && probe.renderAt !== null ? Number((probe.playingAt - probe.renderAt).toFixed(3)) : null,
      first_audible_s: probe.firstAudible !== null && probe.renderAt !== null ? Number((probe.firstAudible - probe.renderAt).toFixed(3)) : null,
      waits: probe.waits,
      overtaken_frames: probe.overtaken,
      frames: frames.length,
      frame_ms: { median: Number(pct(0.5).toFixed(1)), p99: Number(pct(0.99).toFixed(1)), max: Number(frames.at(-1)!.toFixed(1)) },
      stalls_over_100ms: stalls.length,
      chunk_ms: chunkFigures(probe.chunkMs),
      load_average: os.loadavg().map((x) => Number(x.toFixed(1))),
    };
    console.log(`STREAM E2E ${JSON.stringify(figures)}`);
    console.log(`STREAM E2E slow frames ${JSON.stringify(probe.slow.slice(0, 80))}`);
    expect(probe.overtaken, 'playback never ran past what had arrived').toBe(0);
    expect(figures.first_audible_s).not.toBeNull();
    // The page's own work for a chunk is 5–11 ms here (quiet machine); every figure is wall
    // time, so it also counts the moments the browser waits for a CPU on a shared machine (its
    // load average is printed with them; one chunk of eight once took 100.1 ms in CI). So the
    // typical chunk must stay inside a frame's budget, and none may come near a stall a
    // listener would notice; the frame gaps are asserted on their 99th percentile likewise.
    expect(figures.chunk_ms.median, "taking in a chunk is a few milliseconds of the page's work").toBeLessThan(30);
    expect(figures.chunk_ms.max, 'no chunk stalls the page for a quarter of a second').toBeLessThan(250);
    expect(figures.frame_ms.p99, 'frames under 100 ms but for a few').toBeLessThanOrEqual(100);
  }, 600_000);

  it('re-renders a looping region on a slider move and swaps the new version in at a loop start', async () => {
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByLabel('Region start (s)').fill(String(LOOP.start));
    await page.getByLabel('Region start (s)').press('Enter');
    await page.getByLabel('Region end (s)').fill(String(LOOP.end));
    await page.getByLabel('Region end (s)').press('Enter');
    await page.getByRole('button', { name: 'Loop region' }).click();
    await page.getByRole('button', { name: 'Play' }).click();
    await page.getByRole('button', { name: 'Live loop' }).click();
    await expect.poll(async () => (await state(page)).live.sounding, { timeout: 180_000, interval: 500 }).not.toBeNull();
    const before = (await state(page)).live.sounding.settings as string;
    // Move a weight slider by the keyboard, as a hand would by dragging.
    const slider = page.getByLabel('α Content weight', { exact: true });
    await slider.focus();
    for (let i = 0; i < 3; i++) await slider.press('ArrowRight');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const movedAt = (await page.evaluate(() => (globalThis as any).__gramophone.controller.playback.clock())) as number;
    await expect.poll(async () => (await state(page)).live.pending, { timeout: 10_000 }).not.toBeNull();
    await shot(page, 'live-rendering');
    await expect.poll(async () => (await state(page)).live.sounding?.settings, { timeout: 180_000, interval: 250 }).not.toBe(before);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const swaps = (await page.evaluate(() => (globalThis as any).__gramophone.controller.live.swaps)) as { at: number; settings: string }[];
    const swap = swaps.at(-1)!;
    const loop = LOOP.end - LOOP.start;
    console.log(
      `LIVE E2E ${JSON.stringify({ loop_s: loop, slider_to_swap_s: Number((swap.at - movedAt).toFixed(3)), loops: Number(((swap.at - movedAt) / loop).toFixed(2)), before, after: swap.settings })}`,
    );
    expect(swap.settings).not.toBe(before);
    expect(swap.settings).toMatch(/content/);
    await shot(page, 'live-swapped');
  }, 420_000);
});
