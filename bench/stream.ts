/**
 * The STREAM line (issue 19): the default preset streaming a 60 s content (the bundled
 * demo's content repeated) against the demo's style, as the workstation's engine runs it:
 * time to the first segment, wall and CPU seconds for the whole, the real-time factor, and
 * where the time goes (transcription, note template with the rest of the analysis, optimiser,
 * Griffin-Lim, encoding), each phase's wall and CPU seconds summed over the segments. The
 * transcriber is warmed first, as the workstation's engine does after its first decode, and
 * the style readied, as the workstation does while the musician sets up (its cost is printed).
 * Then, as the workstation does now, the first segment readied ahead and the wait for the
 * first chunk of a render that takes it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RenderPhase } from '../common/audio';
import { DEFAULT_PRESET_NAME, builtinPreset, type Preset } from '../common/preset';
import { decodeWav } from '../engine/audio/wav';
import { resample } from '../engine/dsp/resample';
import { createNotesCache, warmTranscriber, type NotesCache } from '../engine/render/notes-cache';
import { createFirstSegmentAhead } from '../engine/render/ahead';
import { styleSample } from '../engine/render/chunked';
import { prepareInput } from '../engine/render/prepare';
import { readyStyle } from '../engine/render/warm';
import { renderStream, streamSegments } from '../engine/render/stream';
import type { BenchLine } from './style';
import { peakRssMb } from './workloads';

/** Seconds of content streamed. */
export const STREAM_CONTENT_SECONDS = 60;

const here = path.dirname(fileURLToPath(import.meta.url));

const demoPath = (which: 'content' | 'style') => path.resolve(here, '../../assets/demo', `${which}.wav`);

/** Mono samples of a demo file at `rate`. */
function demo(which: 'content' | 'style', rate: number): Float32Array {
  const wav = decodeWav(new Uint8Array(readFileSync(demoPath(which))), `${which}.wav`);
  return wav.sampleRate === rate ? wav.channels[0] : resample(wav.channels[0], wav.sampleRate, rate);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * As the workstation does now: the stream's first segment rendered ahead while the musician
 * sets up (engine/render/ahead.ts), then Render's wait for its first chunk. Run after the main
 * stream, so the content's first stretch is already transcribed and the readying's cost
 * printed is without it.
 */
async function firstChunkReadiedAhead(content: Float32Array, style: Float32Array, preset: Preset, notes: NotesCache) {
  const rate = preset.analysis.sampleRate;
  const job = { jobId: 'bench-ahead', preset, content: { name: 'content', samples: content }, style: { name: 'style', samples: style }, warnings: [] };
  const [first] = streamSegments(content.length, preset).segments;
  const ahead = createFirstSegmentAhead();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await ahead.ready(job, content.subarray(first.start, first.end), { name: 'style', samples: styleSample(style, rate) }, notes.hear);
  const c = process.cpuUsage(c0);
  const readying = { wall_s: round((performance.now() - t0) / 1000), cpu_s: round((c.user + c.system) / 1e6) };
  let stop = false;
  let chunk: number | null = null;
  const t1 = performance.now();
  try {
    await renderStream(
      job,
      { isCancelled: () => stop },
      {
        hear: notes.hear,
        ahead: ahead.take,
        onChunk: () => {
          chunk ??= (performance.now() - t1) / 1000;
          stop = true;
        },
      },
    );
  } catch {
    // Stopped after its first chunk, as meant.
  }
  return { readying, first_chunk_wall_s: chunk === null ? null : round(chunk) };
}

/**
 * Stream the default preset over STREAM_CONTENT_SECONDS of content once.
 * @param readied the style readied first, as the workstation does while the musician sets up (engine/render/warm.ts)
 */
export async function runStreamWorkload(readied = true): Promise<BenchLine> {
  const preset = builtinPreset(DEFAULT_PRESET_NAME)!;
  const rate = preset.analysis.sampleRate;
  const piece = demo('content', rate);
  const content = new Float32Array(STREAM_CONTENT_SECONDS * rate);
  for (let i = 0; i < content.length; i++) content[i] = piece[i % piece.length];
  const styleFile = { name: 'style.wav', bytes: new Uint8Array(readFileSync(demoPath('style'))) };
  const style = (await prepareInput(styleFile.bytes, styleFile.name, rate, preset.analysis.nFft)).samples;
  // As the workstation's engine does once its first decode has answered: the transcriber loaded.
  const tWarm = performance.now();
  const cpuWarm = process.cpuUsage();
  await warmTranscriber();
  const warmCpu = process.cpuUsage(cpuWarm);
  const warm = { wall_s: round((performance.now() - tWarm) / 1000), cpu_s: round((warmCpu.user + warmCpu.system) / 1e6) };
  // As the workstation does while the musician sets up: the style readied for the render.
  const notes = createNotesCache();
  const tReady = performance.now();
  const cpuReady = process.cpuUsage();
  if (readied) await readyStyle(styleFile, preset, notes);
  const readyCpu = process.cpuUsage(cpuReady);
  const ready = { wall_s: round((performance.now() - tReady) / 1000), cpu_s: round((readyCpu.user + readyCpu.system) / 1e6) };

  const cpu0 = process.cpuUsage();
  const cpu = () => {
    const u = process.cpuUsage(cpu0);
    return (u.user + u.system) / 1e6;
  };
  const t0 = performance.now();
  const wall = () => (performance.now() - t0) / 1000;
  const spent: Record<string, { wall: number; cpu: number }> = {};
  const add = (name: string, w: number, c: number) => {
    const s = (spent[name] ??= { wall: 0, cpu: 0 });
    s.wall += w;
    s.cpu += c;
  };
  // Each phase's time runs from its first progress event to the next phase's; transcription is
  // timed inside the analysis and taken out of it.
  const names: Partial<Record<RenderPhase, string>> = { analyse: 'template_and_analysis', optimise: 'optimiser', reconstruct: 'griffin_lim', encode: 'encoding' };
  let phase: string | null = null;
  let mark = { wall: 0, cpu: 0 };
  const enter = (next: string | null) => {
    const now = { wall: wall(), cpu: cpu() };
    if (phase) add(phase, now.wall - mark.wall, now.cpu - mark.cpu);
    phase = next;
    mark = now;
  };
  const cache = notes.hear;
  const hear: typeof cache = async (...a) => {
    const w = wall();
    const c = cpu();
    try {
      return await cache(...a);
    } finally {
      add('transcription', wall() - w, cpu() - c);
      add('template_and_analysis', -(wall() - w), -(cpu() - c));
    }
  };
  const profileOf = () => Object.fromEntries(Object.entries(spent).map(([k, v]) => [k, { wall_s: round(v.wall), cpu_s: round(v.cpu) }]));
  let first: { wall: number; cpu: number; seconds: number; profile: ReturnType<typeof profileOf> } | null = null;
  let segments = 0;
  const take = await renderStream(
    { jobId: 'bench-stream', preset, content: { name: 'content', samples: content }, style: { name: 'style', samples: style }, warnings: [] },
    {
      onProgress: (p) => {
        const name = names[p.phase];
        if (name && name !== phase && p.phase !== 'decode') enter(name);
      },
    },
    {
      hear,
      onChunk: (c) => {
        // The encoding phase of a segment ends when its chunk is out.
        enter(null);
        segments = c.segment.count;
        first ??= { wall: wall(), cpu: cpu(), seconds: c.samples.length / c.sampleRate, profile: profileOf() };
      },
    },
  );
  const total = { wall: wall(), cpu: cpu() };
  const readiedAhead = readied ? await firstChunkReadiedAhead(content, style, preset, notes) : null;
  const f = first as { wall: number; cpu: number; seconds: number; profile: ReturnType<typeof profileOf> } | null;
  return {
    workload: 'STREAM',
    preset: preset.name,
    impl: take.metrics.backend,
    content_seconds: STREAM_CONTENT_SECONDS,
    segments,
    first_segment: f ? { wall_s: round(f.wall), cpu_s: round(f.cpu), audio_s: round(f.seconds), profile: f.profile } : null,
    wall_s: round(total.wall),
    cpu_s: round(total.cpu),
    realtime_factor_wall: round(STREAM_CONTENT_SECONDS / total.wall),
    realtime_factor_cpu: round(STREAM_CONTENT_SECONDS / total.cpu),
    transcriber_warmup: warm,
    style_readied: readied ? ready : null,
    first_segment_readied_ahead: readiedAhead,
    profile: profileOf(),
    median_ms: Math.round(total.wall * 1000),
    min_ms: Math.round(total.wall * 1000),
    max_ms: Math.round(total.wall * 1000),
    peak_rss_mb: peakRssMb(),
    note: 'one run in a fresh process, the transcriber warmed first as the workstation engine does (the objective backend still loads inside the first segment); quote CPU seconds and ratios on a shared machine',
  };
}
