/**
 * Long files in segments (issue 11, item 2): the cut (overlapping, on the hop grid, balanced),
 * the join (a steady tone has no level dip or phase jump at the seams), a segment equal to a
 * region render of its stretch, progress over the whole file, cancel, the aggregated take,
 * silent stretches, a bounded style sample, and a plan that fits the budget or refuses with
 * the length that would.
 */
import { describe, expect, it } from 'vitest';
import type { RenderProgress } from '../../../common/audio';
import { builtinPreset, type Preset } from '../../../common/preset';
import { FADE_SECONDS, MARGIN_SECONDS, MAX_SEGMENT_SECONDS, STYLE_SAMPLE_SECONDS, planRender, planSegments, styleSample } from '../../../engine/render/chunked';
import { renderRequest } from '../../../engine/render/render-request';
import { crossfadeGains } from '../../../engine/dsp/crossfade';
import { encodeWav } from '../../../engine/audio/wav-encode';
import { demoFile } from '../../helpers/demo';
import { shrunkQuickPreview } from '../../fixtures/presets';

const RATE = 22050;
const qp = builtinPreset('Quick preview')!;
/** Quick preview shrunk to render a few seconds in about a second. */
const small = (init: Preset['init'] = 'content'): Preset => shrunkQuickPreview(64, 11, 8, 16, { init });
const tone = (seconds: number, hz = 440, amp = 0.5) => Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / RATE));
const wav = (name: string, x: Float32Array) => ({ name, bytes: encodeWav([x], RATE, 'float32') });

describe('planSegments', () => {
  it('covers the file in balanced, overlapping segments on the hop grid', () => {
    const hop = 256;
    const total = 1_000_003;
    const segs = planSegments(total, 300_000, 0.5 * RATE, RATE, hop);
    expect(segs).toHaveLength(4);
    expect(segs[0]).toMatchObject({ start: 0, from: 0, fade: 0 });
    expect(segs.at(-1)!.end).toBe(total);
    for (const [k, s] of segs.entries()) {
      expect(s.start % hop, 'start on the grid').toBe(0);
      if (k === 0) continue;
      const prev = segs[k - 1];
      // The crossfade lies inside both segments with a margin on either side.
      expect(s.fade).toBeGreaterThan(0.9 * RATE);
      expect(s.from - s.start).toBeGreaterThanOrEqual(0.5 * RATE);
      expect(prev.end - (s.from + s.fade)).toBeGreaterThanOrEqual(0.5 * RATE);
    }
    // Balanced: the contributions differ by at most a hop or two.
    const shares = segs.map((s, k) => (segs[k + 1]?.from ?? total) - s.from);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(RATE + 2 * hop);
  });

  it('crossfade gains keep power for unrelated signals and amplitude for equal ones', () => {
    const u = crossfadeGains(101, 0);
    const c = crossfadeGains(101, 1);
    for (let i = 0; i < 101; i++) {
      expect(u.fadeOut[i] ** 2 + u.fadeIn[i] ** 2).toBeCloseTo(1, 5);
      expect(c.fadeOut[i] + c.fadeIn[i]).toBeCloseTo(1, 5);
    }
    expect(u.fadeOut[0]).toBeGreaterThan(0.99);
    expect(u.fadeIn[100]).toBeGreaterThan(0.99);
  });
});

describe('renderChunked', () => {
  it('a steady tone has no level dip (≤ 0.5 dB) or phase jump (≤ 0.1 rad per 20 ms) at the seams', async () => {
    const take = await renderRequest({ jobId: 't', content: wav('tone.wav', tone(12)), style: wav('tone-style.wav', tone(3)), preset: small() }, {}, { segmentSeconds: 4 });
    const y = take.samples;
    expect(y.length).toBe(12 * RATE);
    expect(take.warnings.join(' ')).toMatch(/3 segments of about 4 s/);
    // Level and 440 Hz phase in 20 ms windows (441 samples: the tone's phase advances 0.1·2π·… per window, the same everywhere).
    const W = 441;
    const level: number[] = [];
    const phase: number[] = [];
    for (let w = 0; w + W <= y.length; w += W) {
      let p = 0;
      let re = 0;
      let im = 0;
      for (let i = w; i < w + W; i++) {
        p += y[i] * y[i];
        re += y[i] * Math.cos((2 * Math.PI * 440 * i) / RATE);
        im -= y[i] * Math.sin((2 * Math.PI * 440 * i) / RATE);
      }
      level.push(10 * Math.log10(p / W));
      phase.push(Math.atan2(im, re));
    }
    const wrap = (a: number) => ((((a + Math.PI) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)) - Math.PI;
    const segs = planSegments(y.length, 4 * RATE, MARGIN_SECONDS * RATE, FADE_SECONDS * RATE, small().analysis.hop);
    const steady = level.slice(25, 75).sort((a, b) => a - b)[25];
    for (const s of segs.slice(1)) {
      // Every window the crossfade touches, and one either side.
      const from = Math.floor(s.from / W) - 1;
      const to = Math.ceil((s.from + s.fade) / W) + 1;
      for (let w = from; w <= to; w++) {
        expect(Math.abs(level[w] - steady), `level at ${((w * W) / RATE).toFixed(2)} s`).toBeLessThanOrEqual(0.5);
        // Away from the seams the phase step between windows is the same every time; it must stay so.
        expect(Math.abs(wrap(phase[w] - phase[w - 1] - (phase[w - 25] - phase[w - 26]))), `phase at ${((w * W) / RATE).toFixed(2)} s`).toBeLessThanOrEqual(0.1);
      }
    }
  }, 60_000);

  it('a segment equals a region render of its stretch (same seeds), up to the level of the whole', async () => {
    const content = demoFile('content');
    const style = demoFile('style');
    const preset = small();
    const events: RenderProgress[] = [];
    const chunked = await renderRequest({ jobId: 'c', content, style, preset }, { onProgress: (p) => events.push(p) }, { segmentSeconds: 3 });
    const segs = planSegments(chunked.samples.length, 3 * RATE, MARGIN_SECONDS * RATE, FADE_SECONDS * RATE, preset.analysis.hop);
    expect(segs.length).toBeGreaterThanOrEqual(3);
    const s = segs[1];
    const region = await renderRequest({ jobId: 'r', content, style, preset, region: { start: s.start / RATE, end: s.end / RATE } });
    // Where segment 1 alone makes the take: after its fade-in, before segment 2's.
    const a = s.from + s.fade;
    const b = segs[2].from;
    const mine = chunked.samples.subarray(a, b);
    const theirs = region.samples.subarray(a - s.start, b - s.start);
    let xy = 0;
    let yy = 0;
    for (let i = 0; i < mine.length; i++) {
      xy += mine[i] * theirs[i];
      yy += theirs[i] * theirs[i];
    }
    const gain = xy / yy;
    let err = 0;
    let ref = 0;
    for (let i = 0; i < mine.length; i++) {
      err += (mine[i] - gain * theirs[i]) ** 2;
      ref += mine[i] ** 2;
    }
    expect(Math.sqrt(err / ref)).toBeLessThan(1e-4);

    // Progress over the whole file: segments in order, the share done never falls, an ETA once known.
    const counts = new Set(events.filter((e) => e.segment).map((e) => e.segment!.count));
    expect([...counts]).toEqual([segs.length]);
    const fractions = events.filter((e) => e.fraction !== undefined).map((e) => e.fraction!);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1] - 1e-9);
    expect(fractions.at(-1)).toBe(1);
    expect(events.filter((e) => e.segment && e.segment.index > 0).every((e) => e.eta !== undefined)).toBe(true);
    // One take's metrics from the segments'.
    expect(chunked.metrics.iterations).toBe(preset.optimizer.iterations);
    // Evaluations are work done: every segment's, added up (each made its start and a trial per iteration).
    expect(chunked.metrics.evaluations).toBeGreaterThanOrEqual(segs.length * (preset.optimizer.iterations + 1));
    expect(chunked.metrics.finalLoss).toBeLessThan(chunked.metrics.initialLoss);
    expect(20 * Math.log10(chunked.samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0))).toBeCloseTo(-1, 3);
  }, 90_000);

  it('stops within one iteration of a cancel, in any segment', async () => {
    let cancel = false;
    let seen = 0;
    const t0 = performance.now();
    const p = renderRequest(
      { jobId: 'x', content: wav('tone.wav', tone(12)), style: wav('s.wav', tone(2)), preset: small() },
      {
        isCancelled: () => cancel,
        onProgress: (e) => {
          if (e.segment?.index === 1 && e.phase === 'optimise' && e.iteration === 2 && !seen++) cancel = true;
        },
      },
      { segmentSeconds: 4 },
    );
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(performance.now() - t0).toBeLessThan(30_000);
  }, 60_000);

  it('keeps digital silence between notes silent, and refuses a wholly silent file', async () => {
    const x = new Float32Array(14 * RATE);
    x.set(tone(4), 0);
    x.set(tone(4, 330), 10 * RATE);
    const take = await renderRequest({ jobId: 's', content: wav('gap.wav', x), style: wav('s.wav', tone(2)), preset: small() }, {}, { segmentSeconds: 3 });
    // The middle of the gap (away from the fades) is silent.
    expect(take.samples.subarray(6 * RATE, 8 * RATE).every((v) => v === 0)).toBe(true);
    expect(take.samples.subarray(RATE, 3 * RATE).some((v) => v !== 0)).toBe(true);
    await expect(renderRequest({ jobId: 'z', content: wav('zero.wav', new Float32Array(12 * RATE)), style: wav('s.wav', tone(2)), preset: small() }, {}, { segmentSeconds: 4 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/"zero\.wav" is silent/),
    });
  }, 60_000);

  it('a long style is represented by a bounded sample of evenly spaced excerpts', () => {
    const long = Float32Array.from({ length: 300 * RATE }, (_, i) => i / (300 * RATE));
    const s = styleSample(long, RATE);
    expect(s.length).toBeLessThanOrEqual(STYLE_SAMPLE_SECONDS * RATE);
    expect(s.length).toBeGreaterThan(0.99 * STYLE_SAMPLE_SECONDS * RATE);
    // A ramp sampled from beginning to end: early and late values both appear.
    expect(s[0]).toBeLessThan(0.1);
    expect(s[s.length - 1]).toBeGreaterThan(0.9);
    const short = tone(10);
    expect(styleSample(short, RATE)).toBe(short);
  });
});

describe('planRender', () => {
  const min = 60 * RATE;
  it('renders a short file whole, a long one in segments that fit, and refuses what cannot fit', () => {
    expect(planRender(qp, 30 * RATE, 5 * RATE, 8 * 2 ** 30).kind).toBe('whole');
    // A style longer than one sample goes through the bounded sample (one segment for this content).
    expect(planRender(qp, 30 * RATE, 2 * STYLE_SAMPLE_SECONDS * RATE, 8 * 2 ** 30)).toMatchObject({ kind: 'segments', coreSeconds: MAX_SEGMENT_SECONDS });
    const hour = planRender(qp, 60 * min, 5 * RATE, 8 * 2 ** 30);
    expect(hour).toMatchObject({ kind: 'segments', coreSeconds: MAX_SEGMENT_SECONDS });
    expect(hour.bytes).toBeLessThan(2 * 2 ** 30);
    // A tight budget: shorter segments.
    const tight = planRender(qp, 60 * min, 5 * RATE, 1.2 * 2 ** 30);
    expect(tight.kind === 'segments' && tight.coreSeconds).toBeLessThan(MAX_SEGMENT_SECONDS);
    expect(tight.bytes).toBeLessThanOrEqual(1.2 * 2 ** 30);
    // Too tight for the whole file in any segments: the message says how long a stretch fits.
    expect(() => planRender(qp, 60 * min, 5 * RATE, 700 * 2 ** 20)).toThrow(/about \d+ minutes of the content would fit/);
    const heavy = builtinPreset('Grinstein content-init')!;
    expect(() => planRender(heavy, 10 * min, 5 * RATE, 400 * 2 ** 20)).toThrow(/needs about .* for even a 5-second stretch/);
  });
});
