/**
 * `npx tsx bench/long-files.ts [--preset NAME] [--minutes 1,3,10,30,60] [--iterations N]
 * [--gl-iterations N]`: peak resident memory and wall time of renders of long mono 44.1 kHz
 * files (a synthetic melody, 16-bit WAV, read by path as the CLI does) against the demo
 * style, through the engine's chunked renderer, each in its own process. One JSON line per
 * length: workload, preset, minutes, segments, peak_rss_mb, wall_s and cpu_s (all threads;
 * less bent than wall time by other work on the machine) with their per-minute figures. A long
 * workload (an hour of "Quick preview" takes about half an hour): run it niced.
 * --iterations / --gl-iterations shorten the optimiser and Griffin-Lim (memory does not
 * depend on them once L-BFGS's history is full, at 10 iterations; time is linear in them).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PresetSchema, builtinPreset } from '../common/preset';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'Quick preview' },
    minutes: { type: 'string', default: '1,3,10,30,60' },
    iterations: { type: 'string' },
    'gl-iterations': { type: 'string' },
  },
});
const base = builtinPreset(values.preset!);
if (!base) throw new Error(`no built-in preset "${values.preset}"`);
const preset = PresetSchema.parse({
  ...structuredClone(base),
  optimizer: { ...base.optimizer, iterations: values.iterations ? Number(values.iterations) : base.optimizer.iterations },
  griffinLim: { ...base.griffinLim, iterations: values['gl-iterations'] ? Number(values['gl-iterations']) : base.griffinLim.iterations },
});
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixture = path.join(root, 'test/fixtures/render/render-peak-rss.ts');
for (const minutes of values.minutes!.split(',').map(Number)) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fixture, JSON.stringify(preset), String(minutes * 60), 'chunked', '44100'], { cwd: root, encoding: 'utf8', maxBuffer: 2 ** 20 });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { peak: number; wall: number; cpu: number; segments: number };
  const line = {
    workload: 'long-file',
    preset: preset.name,
    iterations: preset.optimizer.iterations,
    gl_iterations: preset.griffinLim.iterations,
    minutes,
    segments: r.segments,
    peak_rss_mb: Math.round(r.peak / 2 ** 20),
    wall_s: +r.wall.toFixed(1),
    wall_s_per_minute: +(r.wall / minutes).toFixed(1),
    cpu_s: +r.cpu.toFixed(1),
    cpu_s_per_minute: +(r.cpu / minutes).toFixed(1),
  };
  process.stdout.write(JSON.stringify(line) + '\n');
}
