/**
 * `npm run bench -- [W1] [W2] [W3] [W4] [W5] [E2E] [STREAM] [PACE] [--backend onnx|tfjs] [--inputs DIR]`: one JSON
 * line per workload on stdout, with the fields and definitions of
 * the PyTorch reference workloads (docs/ARCHITECTURE.md, "Benchmarks"), so the two can be run back to back and divided.
 *
 * Each workload runs in its own child process so that `peak_rss_mb` (the process's
 * ru_maxrss, as reference.py reports it) belongs to that workload alone.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toErrorData } from '../common/errors';
import { decodeWav } from '../engine/audio/wav';
import { BENCH_USAGE, parseBenchArgs, type BenchArgs } from './args';
import { runEndToEnd } from './e2e';
import { pacePresets, runPace, runPaceOne } from './pace';
import { runStyleWorkload, type BenchLine, type StyleInputs } from './style';
import { serveStyleWorkload } from './serve';
import { runW3 } from './w3';
import { runStreamWorkload } from './stream';
import { STYLE_WORKLOADS, W3_AUDIO, WORKLOAD_NAMES, isStyleWorkload, peakRssMb, synthSignal, timingStats, type StyleWorkloadName, type WorkloadName } from './workloads';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Mono samples of one of reference.py's WAVs, checked against the rate it must have. */
async function readInput(dir: string, file: string, rate: number): Promise<Float32Array> {
  const p = path.join(dir, file);
  const wav = decodeWav(new Uint8Array(await readFile(p)), file);
  if (wav.sampleRate !== rate) throw new Error(`${p} is at ${wav.sampleRate} Hz; the workload needs ${rate} Hz`);
  return wav.channels[0];
}

const SYNTH_NOTE = "synthesized in TypeScript (reference.py's recipe, our RNG: comparable, not identical)";

/** The content and style signals of a style workload: reference.py's WAVs, or synthesized. */
async function styleInputs(name: StyleWorkloadName, args: BenchArgs): Promise<StyleInputs> {
  const w = STYLE_WORKLOADS[name];
  return args.inputs
    ? {
        content: await readInput(args.inputs, `${name}-content.wav`, w.sampleRate),
        style: await readInput(args.inputs, `${name}-style.wav`, w.sampleRate),
        inputs: `reference.py WAVs from ${args.inputs}`,
      }
    : { content: synthSignal(w.sampleRate, w.seconds, 1), style: synthSignal(w.sampleRate, w.seconds, 2), inputs: SYNTH_NOTE };
}

async function runOne(name: WorkloadName, args: BenchArgs): Promise<BenchLine> {
  if (name === 'PACE') {
    const presets = pacePresets(args.presets);
    if (presets.length !== 1) throw new Error('a PACE child renders exactly one preset');
    return runPaceOne(presets[0], args.seconds);
  }
  if (isStyleWorkload(name)) {
    return runStyleWorkload(name, STYLE_WORKLOADS[name], await styleInputs(name, args), args.backend, args.evals);
  }
  if (name === 'W3') {
    const signal = args.inputs ? await readInput(args.inputs, 'W3.wav', W3_AUDIO.sampleRate) : synthSignal(W3_AUDIO.sampleRate, W3_AUDIO.seconds, 1);
    const r = await runW3(signal, 3);
    return {
      workload: 'W3',
      impl: r.impl,
      ...timingStats(r.times_ms),
      peak_rss_mb: peakRssMb(),
      threads: Number(/(\d+) threads?/.exec(r.impl)?.[1] ?? 1),
      frames: r.frames,
      iterations: 100,
      spectral_convergence: Math.round(r.spectral_convergence * 1e4) / 1e4,
      inputs: args.inputs ? `reference.py WAVs from ${args.inputs}` : SYNTH_NOTE,
    };
  }
  if (name === 'STREAM') return runStreamWorkload(!args.cold);
  return runEndToEnd(path.resolve(here, '../cli/cli.js'), args.backend);
}

/** Run one workload in a fresh Node process and pass its line through. */
function runInChild(name: WorkloadName, argv: readonly string[]): Promise<number> {
  const rest = argv.filter((a) => !(WORKLOAD_NAMES as readonly string[]).includes(a.toUpperCase()));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', name, ...rest], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(BENCH_USAGE + '\n');
    return 0;
  }
  const args = parseBenchArgs(argv);
  if (args.serve) {
    const name = args.workloads[0];
    if (args.workloads.length !== 1 || !isStyleWorkload(name)) throw new Error('--serve takes exactly one of W1, W2, W4, W5');
    await serveStyleWorkload(STYLE_WORKLOADS[name], await styleInputs(name, args), args.backend);
    return 0;
  }
  if (args.child) {
    for (const w of args.workloads) process.stdout.write(JSON.stringify(await runOne(w, args)) + '\n');
    return 0;
  }
  let failed = 0;
  for (const w of args.workloads) {
    if (w === 'PACE') {
      // One child per preset, so each peak RSS is the preset's own.
      const extra = args.seconds === undefined ? [] : ['--seconds', String(args.seconds)];
      failed += await runPace(fileURLToPath(import.meta.url), pacePresets(args.presets), [...extra, '--backend', args.backend]);
    } else if ((await runInChild(w, argv)) !== 0) failed++;
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`bench: ${toErrorData(e).message}\n`);
    process.exit(1);
  },
);
