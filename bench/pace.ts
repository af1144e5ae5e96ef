/**
 * The PACE workload: every built-in preset renders the bundled demo pair (assets/demo) the
 * way the command line does (decode once, `renderRequest`, segments where the job needs
 * them), each in its own child process so that its peak RSS is its own. One JSON line per
 * preset: wall and CPU seconds of the render (CPU from `process.cpuUsage`, every thread of
 * the render's process: less bent than wall time by other work on a shared machine), the
 * optimiser's final loss and why it stopped, Griffin-Lim's spectral convergence (dB), the
 * melody kept, the phases' seconds, and the peak resident memory of the process (MiB).
 *
 * `--seconds S` renders the demo content repeated (tiled) to S seconds instead of its own
 * 10 s, for the estimates of longer clips; `--preset NAME` (repeatable) picks presets.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_PRESETS, builtinPreset, type Preset } from '../common/preset';
import { decodeWav } from '../engine/audio/wav';
import { encodeWav } from '../engine/audio/wav-encode';
import { listBackends } from '../engine/objective/create-objective';
import { renderRequest } from '../engine/render/render-request';
import type { BenchLine } from './style';
import { peakRssMb } from './workloads';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A file of the bundled demo pair, from the built (dist/bench) or the source (bench/) layout. */
function demoPath(file: string): string {
  const found = [path.resolve(here, '../../assets/demo', file), path.resolve(here, '../assets/demo', file)].find((p) => existsSync(p));
  if (!found) throw new Error(`the bundled demo (assets/demo/${file}) was not found next to the bench`);
  return found;
}

/** The demo content as WAV bytes, tiled to `seconds` when given (whole repeats, then cut). */
async function contentBytes(seconds: number | undefined): Promise<Uint8Array> {
  const bytes = new Uint8Array(await readFile(demoPath('content.wav')));
  if (seconds === undefined) return bytes;
  const wav = decodeWav(bytes, 'content.wav');
  const n = Math.round(seconds * wav.sampleRate);
  const channels = wav.channels.map((ch) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i += ch.length) out.set(ch.subarray(0, Math.min(ch.length, n - i)), i);
    return out;
  });
  return encodeWav(channels, wav.sampleRate, 'float32');
}

/**
 * The first iteration whose loss is within 10 %, 5 %, 2 %, 1 % and 0.5 % of `final`: how
 * much of a preset's iteration budget buys its last percent.
 */
function lossWithin(losses: readonly number[], final: number): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const pct of [10, 5, 2, 1, 0.5]) {
    const i = losses.findIndex((l) => l <= final * (1 + pct / 100));
    out[`${pct}%`] = i < 0 ? null : i + 1;
  }
  return out;
}

/** Round to `d` decimals. */
const r = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

/** Render `preset` on the demo pair in this process and describe it as one pace line. */
export async function runPaceOne(preset: Preset, seconds: number | undefined): Promise<BenchLine> {
  const content = { name: 'content.wav', bytes: await contentBytes(seconds) };
  const style = { name: 'style.wav', bytes: new Uint8Array(await readFile(demoPath('style.wav'))) };
  // The backends' libraries load before the clock starts: a running engine has them already.
  await listBackends();
  let segments = 1;
  // The loss after each optimiser iteration (of the last segment when there are several).
  const losses: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const take = await renderRequest(
    { jobId: 'pace', content, style, preset },
    {
      onProgress: (p) => {
        segments = Math.max(segments, p.segment?.count ?? 1);
        if (p.phase === 'optimise' && p.loss !== undefined && p.iteration > 0 && p.stopReason === undefined) losses[p.iteration - 1] = p.loss;
      },
    },
  );
  const wall = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  const m = take.metrics;
  return {
    workload: 'PACE',
    preset: preset.name,
    content_s: r(take.samples.length / take.sampleRate, 2),
    segments,
    impl: m.backend,
    wall_s: r(wall, 2),
    cpu_s: r((used.user + used.system) / 1e6, 2),
    phases_s: { analyse: r(m.seconds.analyse, 2), optimise: r(m.seconds.optimise, 2), reconstruct: r(m.seconds.reconstruct, 2) },
    iterations: m.iterations,
    iterations_max: preset.optimizer.iterations,
    evaluations: m.evaluations ?? null,
    stop_reason: m.stopReason,
    gl_iterations: preset.griffinLim.iterations,
    final_loss: m.finalLoss,
    loss_within: lossWithin(losses, m.finalLoss),
    loss_every_10: losses.filter((_, i) => (i + 1) % 10 === 0).map((l) => +l.toPrecision(5)),
    spectral_convergence_db: r(m.spectralConvergenceDb, 2),
    melody_kept: m.melodyKept === undefined ? null : r(m.melodyKept, 3),
    peak_rss_mb: peakRssMb(),
  };
}

/** The presets a pace run covers: all built-ins, or those named. */
export function pacePresets(names: readonly string[] | undefined): Preset[] {
  if (!names?.length) return [...BUILTIN_PRESETS];
  return names.map((n) => {
    const p = builtinPreset(n);
    if (!p) throw new Error(`no built-in preset "${n}" (see \`gramophone presets\`)`);
    return p;
  });
}

/**
 * Run each preset in its own child process (`--child PACE --preset NAME`), passing each line
 * through to stdout.
 * @returns how many children failed
 */
export async function runPace(script: string, presets: readonly Preset[], extra: readonly string[]): Promise<number> {
  let failed = 0;
  for (const p of presets) {
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [script, '--child', 'PACE', '--preset', p.name, ...extra], { stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', reject);
      child.on('close', (c) => resolve(c ?? 1));
    });
    if (code !== 0) failed++;
  }
  return failed;
}
