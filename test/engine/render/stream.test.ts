/**
 * The streaming render (issue 19): chunks arrive in playback order and make up the finished
 * take (times the last chunk's gain), the take is the whole render's within a stated bound
 * of level and spectrum, the style is transcribed once (streamed or in a long file's segments), and cancel stops the stream.
 */
import { describe, expect, it, vi } from 'vitest';

const transcribed = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../../../engine/analysis/transcribe', async (load) => {
  const real = await load<typeof import('../../../engine/analysis/transcribe')>();
  return {
    ...real,
    transcribe: (...a: Parameters<typeof real.transcribe>) => {
      transcribed.calls++;
      return real.transcribe(...a);
    },
  };
});
const order = vi.hoisted(() => ({ events: [] as string[] }));
vi.mock('../../../engine/analysis/melody-kept', async (load) => {
  const real = await load<typeof import('../../../engine/analysis/melody-kept')>();
  return {
    ...real,
    melodyKept: (...a: Parameters<typeof real.melodyKept>) => {
      order.events.push('measured');
      return real.melodyKept(...a);
    },
  };
});
import { builtinPreset } from '../../../common/preset';
import { prepareRender } from '../../../engine/render/prepare';
import { render } from '../../../engine/render/render';
import type { TakeChunk } from '../../../common/audio';
import { renderStream } from '../../../engine/render/stream';
import { renderChunked } from '../../../engine/render/chunked';
import { createNotesCache } from '../../../engine/render/notes-cache';
import { readyRender, readyStyle } from '../../../engine/render/warm';
import { createFirstSegmentAhead } from '../../../engine/render/ahead';
import { demoFile } from '../../helpers/demo';
import { logSpectralDistance } from '../../helpers/log-spectral-distance';

const preset = builtinPreset('Timbre transfer')!;
/**
 * Streamed and whole takes: RMS level within this many dB… Each segment transcribes its own
 * stretch, so notes cut at a segment's edge are heard a little differently than in one
 * whole render; measured on the demo's first 5 s in segments of 1.5, 2 and 1.5 s: 2.2 dB.
 */
const LEVEL_DB = 2.5;
/** …and log-spectral distance (dB, 80 dB floor) within this: measured 3.5 dB (against the style, far more). */
const LSD_DB = 5;

const rmsDb = (x: Float32Array) => 10 * Math.log10(x.reduce((s, v) => s + v * v, 0) / x.length);

describe('renderStream', () => {
  it('streams the take in order, and the take is the whole render within the bound', async () => {
    const job = await prepareRender({ jobId: 's', content: demoFile('content'), style: demoFile('style'), preset, region: { start: 0, end: 5 } });
    const chunks: TakeChunk[] = [];
    order.events.length = 0;
    const streamed = await renderStream(
      job,
      {},
      {
        onChunk: (c) => {
          order.events.push('chunk');
          chunks.push(c);
        },
        firstSeconds: 1.5,
        segmentSeconds: 2,
      },
    );
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    // The melody kept is measured for the take, each segment once its chunk is out: the next
    // sound never waits for it.
    expect(streamed.metrics.melodyKept).toBeGreaterThan(0.5);
    expect(order.events.slice(0, 2)).toEqual(['chunk', 'measured']);
    expect(order.events.filter((e) => e === 'measured').length).toBe(chunks.length);
    let at = 0;
    const joined = new Float32Array(streamed.samples.length);
    for (const c of chunks) {
      expect(c.at).toBe(at);
      expect(c.total).toBe(streamed.samples.length);
      joined.set(c.samples, c.at);
      at += c.samples.length;
    }
    expect(at).toBe(streamed.samples.length);
    const gain = chunks.at(-1)!.gain;
    for (let i = 0; i < joined.length; i += 97) expect(joined[i] * gain).toBeCloseTo(streamed.samples[i], 5);

    const whole = await render(job);
    const level = Math.abs(rmsDb(streamed.samples) - rmsDb(whole.samples));
    const lsd = logSpectralDistance(streamed.samples, whole.samples);
    console.log(`streamed vs whole: level ${level.toFixed(2)} dB, LSD ${lsd.toFixed(2)} dB`);
    expect(level).toBeLessThan(LEVEL_DB);
    expect(lsd).toBeLessThan(LSD_DB);
    // Against an unrelated signal the distance is far larger: the bound can fail.
    const unrelated = logSpectralDistance(streamed.samples, job.style.samples.subarray(0, streamed.samples.length));
    console.log(`streamed vs the style: LSD ${unrelated.toFixed(2)} dB`);
    expect(unrelated).toBeGreaterThan(LSD_DB);
  }, 240_000);

  it('transcribes an input once across segments and renders, and stops on cancel', async () => {
    const job = await prepareRender({ jobId: 'c', content: demoFile('content'), style: demoFile('style'), preset, region: { start: 0, end: 4 } });
    const hear = createNotesCache().hear;
    transcribed.calls = 0;
    const first = await renderStream(job, {}, { onChunk: () => {}, firstSeconds: 1.5, segmentSeconds: 2, hear });
    // Two segments: the style once, each segment's content once.
    expect(transcribed.calls).toBe(3);
    const again = await renderStream(job, {}, { onChunk: () => {}, firstSeconds: 1.5, segmentSeconds: 2, hear });
    expect(transcribed.calls, 'the same inputs are not transcribed again').toBe(3);
    expect(Array.from(again.samples.subarray(0, 2000))).toEqual(Array.from(first.samples.subarray(0, 2000)));

    let cancel = false;
    const chunks: TakeChunk[] = [];
    await expect(
      renderStream(
        job,
        { isCancelled: () => cancel },
        {
          onChunk: (c) => {
            chunks.push(c);
            cancel = true;
          },
          firstSeconds: 1.5,
          segmentSeconds: 2,
          hear,
        },
      ),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(chunks).toHaveLength(1);
  }, 240_000);

  it('a long file in segments transcribes its style once too, not once per segment', async () => {
    const job = await prepareRender({ jobId: 'l', content: demoFile('content'), style: demoFile('style'), preset });
    transcribed.calls = 0;
    // Forced into 4-second segments: the 10 s demo content is 3 of them.
    await renderChunked(job, {}, { segmentSeconds: 4 });
    expect(transcribed.calls, "the style once, each segment's content once").toBe(4);
  }, 240_000);

  it('a style readied ahead is not transcribed again by the render; a preset without notes readies nothing', async () => {
    const notes = createNotesCache();
    transcribed.calls = 0;
    expect(await readyStyle(demoFile('style'), preset, notes)).toBe(true);
    expect(transcribed.calls).toBe(1);
    const job = await prepareRender({ jobId: 'r', content: demoFile('content'), style: demoFile('style'), preset, region: { start: 0, end: 3 } });
    await renderStream(job, {}, { onChunk: () => {}, firstSeconds: 1.5, segmentSeconds: 2, hear: notes.hear });
    expect(transcribed.calls, 'only the two segments of content').toBe(3);
    const noNotes = { ...structuredClone(preset), init: 'content' as const, weights: { ...preset.weights, notes: 0 } };
    expect(await readyStyle(demoFile('style'), noNotes, notes)).toBe(false);
  }, 240_000);

  it('a first segment readied ahead is the render’s own, taken as it is; for other settings the render makes its own', async () => {
    const notes = createNotesCache();
    const ahead = createFirstSegmentAhead();
    const region = { start: 1, end: 3.5 };
    const inputs = { content: demoFile('content'), style: demoFile('style'), region };
    expect(await readyRender({ ...inputs, preset }, notes, ahead)).toBe(true);
    const job = await prepareRender({ jobId: 'a', ...inputs, preset });
    const optimised = (phases: string[]) => phases.filter((p) => p === 'optimise').length;
    const taken: string[] = [];
    const fromAhead = await renderStream(job, { onProgress: (p) => taken.push(p.phase) }, { onChunk: () => {}, hear: notes.hear, ahead: ahead.take });
    expect(optimised(taken), 'its one segment was not rendered again').toBe(0);
    const own: string[] = [];
    const rendered = await renderStream(job, { onProgress: (p) => own.push(p.phase) }, { onChunk: () => {}, hear: notes.hear, ahead: ahead.take });
    expect(optimised(own), 'taken once: the next render makes its own').toBeGreaterThan(0);
    expect(Buffer.from(fromAhead.samples.buffer).equals(Buffer.from(rendered.samples.buffer)), 'the same bits').toBe(true);
    // Readied for one setting, asked for another: rendered anew, and the kept one dropped.
    expect(await readyRender({ ...inputs, preset }, notes, ahead)).toBe(true);
    const louder = { ...structuredClone(preset), weights: { ...preset.weights, content: preset.weights.content * 2 } };
    const other: string[] = [];
    await renderStream(await prepareRender({ jobId: 'b', ...inputs, preset: louder }), { onProgress: (p) => other.push(p.phase) }, { onChunk: () => {}, hear: notes.hear, ahead: ahead.take });
    expect(optimised(other)).toBeGreaterThan(0);
    expect(ahead.take(job.content.samples.subarray(0, 10), { name: 's', samples: new Float32Array(10) }, preset)).toBeUndefined();
    // A render that is no stream stops one under way: it rejects as cancelled, and nothing is kept.
    const stretch = job.content.samples.subarray(0, job.content.samples.length);
    const style = { name: 's', samples: job.style.samples };
    const under = ahead.ready(job, stretch, style, notes.hear);
    ahead.drop();
    await expect(under).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(ahead.take(stretch, style, preset)).toBeUndefined();
  }, 240_000);

  it('from a playhead: the part after it first, from the playhead on, then the part before; the take is the whole render within the bound', async () => {
    const job = await prepareRender({ jobId: 'p', content: demoFile('content'), style: demoFile('style'), preset, region: { start: 0, end: 4 } });
    const chunks: TakeChunk[] = [];
    const streamed = await renderStream(job, {}, { onChunk: (c) => chunks.push(c), firstSeconds: 1, segmentSeconds: 2, from: 2 });
    const rate = streamed.sampleRate;
    expect(chunks[0].at / rate, 'heard from the playhead first').toBeCloseTo(2, 1);
    const back = chunks.findIndex((c) => c.at === 0);
    expect(back).toBeGreaterThan(0);
    expect(chunks.slice(0, back).every((c) => c.at >= chunks[0].at)).toBe(true);
    const covered = new Uint8Array(streamed.samples.length);
    const joined = new Float32Array(streamed.samples.length);
    for (const c of chunks) {
      joined.set(c.samples, c.at);
      for (let i = c.at; i < c.at + c.samples.length; i++) covered[i]++;
    }
    expect(
      covered.every((n) => n === 1),
      'every sample sent once',
    ).toBe(true);
    const gain = chunks.at(-1)!.gain;
    for (let i = 0; i < joined.length; i += 97) expect(joined[i] * gain).toBeCloseTo(streamed.samples[i], 5);
    const whole = await render(job);
    const level = Math.abs(rmsDb(streamed.samples) - rmsDb(whole.samples));
    const lsd = logSpectralDistance(streamed.samples, whole.samples);
    console.log(`from the playhead vs whole: level ${level.toFixed(2)} dB, LSD ${lsd.toFixed(2)} dB`);
    expect(level).toBeLessThan(LEVEL_DB);
    expect(lsd).toBeLessThan(LSD_DB);
  }, 240_000);
});
