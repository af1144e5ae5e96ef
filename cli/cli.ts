#!/usr/bin/env node
/**
 * The command line: `gramophone render|demo|presets|backends|batch|worker`. It runs the same
 * render job as the workstation, prints a live progress line on a terminal (or one JSON line
 * per event with --json), and writes the take atomically.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STOP_REASONS, renderFraction, type RenderProgress, type TakeResult } from '../common/audio';
import { LOSS_TERM_TABLE } from '../common/loss-terms';
import type { AudioFile } from '../common/engine-api';
import { GramophoneError, toErrorData, type ErrorData } from '../common/errors';
import { BUILTIN_PRESETS, DEFAULT_PRESET_NAME, type Preset } from '../common/preset';
import { parseCliArgs, type CliOptions } from './cli-args';
import { NOTES_OUTPUT, checkOutput } from './cli-files';
import { readConvertibleInput } from '../engine/io/audio-file';
import { probeAudio } from '../engine/audio/probe';
import { renderRequest } from '../engine/render/render-request';
import { prepareInput } from '../engine/render/prepare';
import { transcribe } from '../engine/analysis/transcribe';
import { writeNotesMidi } from '../engine/analysis/midi-file';
import { parseBudget } from '../engine/render/budget';
import { writeFileAtomic } from '../engine/io/atomic-write';
import { listBackends } from '../engine/objective/create-objective';
import { ENGINE_VERSION } from '../engine/version';
import { onDeviceNotice, setDevice } from '../engine/device';
import { applyOverrides, builtinByName, readPresetFile } from './preset-choice';
import { exportFormat, writeTakeFile } from './batch/take-file';
import { DEFAULT_STALL_TIMEOUT, batchCommand, workerCommand } from './batch/batch-command';
import { defaultProcesses } from './batch/engine-pool';

const USAGE = `Gramophone ${ENGINE_VERSION}: neural audio style transfer

Usage:
  gramophone render --content A.wav --style B.wav --out TAKE.wav [options]
  gramophone demo [--out TAKE.wav] [options]      render the bundled demo pair
  gramophone presets                              list the built-in presets
  gramophone backends                             show which compute backends load
  gramophone batch --out DIR (--manifest JOBS.csv|JOBS.json | --content DIR|FILES --style DIR|FILES) [grid options]
  gramophone worker --queue redis://HOST:PORT     render jobs that batches put in the queue

Options:
  --preset NAME         a built-in preset (default "${DEFAULT_PRESET_NAME}")
  --preset-file P.json  a preset exported from the workstation
${LOSS_TERM_TABLE.map((t) => `  ${`${t.cliFlag} N`.padEnd(22)}${t.symbol} ${t.label.toLowerCase()} weight (0 = off)`).join('\n')}
  --iterations N        optimiser iterations
  --seed N              seed for the network, the initialisation and the phase
  --backend auto|onnx|tfjs
  --format pcm16|pcm24|float32   (default pcm24)
  --rate content|engine|HZ       take's sample rate (default content: the content file's;
                                 engine: the preset's analysis rate; or 8000–192000)
  --channels 1|2                 (default: the content's, 1 if mono else 2; 2 = dual mono)
  --region START:END    render only this stretch of the content, in seconds
  --notes-out FILE.mid  also write the notes heard in the content, the style and the take
                        (a Standard MIDI File, one track each)
  --memory-budget SIZE  memory the render may use, e.g. 4G (default: $GRAMOPHONE_MEMORY_BUDGET,
                        else 60 % of the memory available); a longer file is rendered in
                        segments that fit, or refused with the length that would
  --segment-seconds N   render in segments of N seconds (5–3600) whatever the budget
  --device auto|cpu|gpu where the onnx backend computes (default auto: a stable GPU provider, else the CPU)
  --json                one JSON line per event instead of a progress bar
  -h, --help

Batch (jobs into one folder with results.jsonl; re-running skips finished takes):
  --manifest FILE       CSV or JSON: content, style, preset | preset_file, ${LOSS_TERM_TABLE.map((t) => t.cliFlag.slice(2)).join(', ')}, seed, iterations, out
  --content/--style     files or folders (their audio files); a grid takes every content × style
  --preset A,B  --preset-file P,Q  --seed S1,S2  ${LOSS_TERM_TABLE.slice(0, 2)
    .map((t) => `${t.cliFlag} V1,V2`)
    .join('  ')} …   swept in the grid
  --processes N         engine processes on this machine (default: ${defaultProcesses()} here)
  --queue redis://HOST:PORT   render on \`gramophone worker\` processes through BullMQ instead
Worker:
  --queue redis://HOST:PORT   --processes N (jobs at once)   --device auto|cpu|gpu
  --stall-timeout S     a job whose worker stopped answering this long goes to another worker
                        (default ${DEFAULT_STALL_TIMEOUT} s)`;

/**
 * The help for one command: `batch --help` and `worker --help` lead with their own usage
 * line and section (a batch also lists the options every take takes); the others get it all.
 */
function usageFor(command: string | undefined): string {
  const section = (from: string, to?: string) => USAGE.slice(USAGE.indexOf(from), to ? USAGE.indexOf(to) : undefined).trimEnd();
  const line = (name: string) => USAGE.split('\n').find((l) => l.startsWith(`  gramophone ${name} `))!;
  const head = USAGE.slice(0, USAGE.indexOf('\n'));
  if (command === 'batch') {
    const options = section('Options:', 'Batch (').replace('Options:', 'Options for every take (as for render):');
    return `${head}\n\nUsage:\n${line('batch')}\n\n${section('Batch (', 'Worker:')}\n\n${options}`;
  }
  if (command === 'worker') return `${head}\n\nUsage:\n${line('worker')}\n\n${section('Worker:')}`;
  return USAGE;
}

/** Exit codes: 0 ok, 1 internal/IO, 2 bad input or usage, 130 cancelled (Ctrl-C). */
const exitCodeFor = (e: ErrorData) => (e.code === 'INVALID_INPUT' || e.code === 'UNSUPPORTED_AUDIO' ? 2 : e.code === 'CANCELLED' ? 130 : 1);

/** The folder holding the bundled demo pair, from the built or the source layout. */
export function demoDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, '../../assets/demo'), path.resolve(here, '../assets/demo')]) {
    if (existsSync(path.join(candidate, 'content.wav'))) return candidate;
  }
  throw new GramophoneError('IO_ERROR', 'The bundled demo (assets/demo/content.wav) was not found next to the program');
}

/** The preset a command line asks for: a built-in or a file, then the overrides. */
export async function resolvePreset(o: CliOptions): Promise<Preset> {
  const base = o.presetFile ? await readPresetFile(o.presetFile) : builtinByName(o.preset ?? DEFAULT_PRESET_NAME);
  return applyOverrides(base, o);
}

/** A one-line progress bar for a terminal (over the whole file when it renders in segments). */
function progressLine(p: RenderProgress): string {
  const width = 24;
  const frac = p.segment ? renderFraction(p) : p.total > 0 ? p.iteration / p.total : 0;
  const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
  const count = p.total > 0 ? `${String(p.iteration).padStart(String(p.total).length)}/${p.total}` : '';
  const segment = p.segment ? `segment ${p.segment.index + 1}/${p.segment.count} ` : '';
  const loss = p.loss !== undefined ? ` loss ${p.loss.toExponential(3)}` : '';
  const eta = p.eta !== undefined ? ` ETA ${p.eta.toFixed(1)}s` : '';
  // Phases without a count (decode, analyse, encode) get no bar: an empty one reads as stuck.
  return p.total > 0 || p.segment ? `${segment}${p.phase.padEnd(11)} ${bar} ${count}${loss}${eta}` : `${p.phase}…`;
}

/**
 * Read (and size) both inputs now, so a bad file is refused before anything runs, and the
 * take's format from the content's header. The render reads them again by path, so no whole
 * file stays in memory while it runs, except a file ffmpeg converted (M4A/AAC), which it
 * renders from the converted bytes.
 */
async function checkInputs(o: CliOptions, contentPath: string, stylePath: string) {
  const [content, style] = await Promise.all([readConvertibleInput(contentPath, 'content'), readConvertibleInput(stylePath, 'style')]);
  // A file ffmpeg converted is rendered from its converted bytes; the others are read again by path.
  const source = (file: typeof content, p: string): AudioFile => (file.converted ? { name: file.name, bytes: file.bytes } : { name: file.name, path: path.resolve(p) });
  return { format: exportFormat(o, probeAudio(content.bytes, content.name)), content: source(content, contentPath), style: source(style, stylePath) };
}

/** The notes file for --notes-out: the transcribed notes of the content (its region), the style and the take, one track each. */
async function notesFile(o: CliOptions, take: TakeResult, [contentPath, stylePath]: string[]): Promise<Uint8Array> {
  const rate = take.sampleRate;
  const lanes = [];
  for (const [file, role] of [
    [contentPath, 'content'],
    [stylePath, 'style'],
  ] as const) {
    const input = await readConvertibleInput(file, role);
    const { samples } = await prepareInput(input.bytes, input.name, rate, 1, role === 'content' ? o.region : undefined);
    lanes.push({ name: `${role}: ${input.name}`, notes: (await transcribe(samples, rate)).notes });
  }
  lanes.push({ name: `take: ${path.basename(o.out ?? 'take')}`, notes: (await transcribe(take.samples, rate)).notes });
  return writeNotesMidi(lanes);
}

async function runRender(o: CliOptions, contentPath: string, stylePath: string, out: string): Promise<number> {
  const preset = await resolvePreset(o);
  await checkOutput(out, [contentPath, stylePath]);
  if (o.notesOut) {
    if (path.resolve(o.notesOut) === path.resolve(out)) throw new GramophoneError('INVALID_INPUT', '--notes-out must name another file than --out');
    await checkOutput(o.notesOut, [contentPath, stylePath], NOTES_OUTPUT);
  }
  const budget = o.memoryBudget !== undefined ? parseBudget(o.memoryBudget, '--memory-budget') : undefined;
  const { format, content, style } = await checkInputs(o, contentPath, stylePath);
  const tty = !o.json && process.stderr.isTTY;
  let cancelRequested = false;
  const onSigint = () => {
    cancelRequested = true;
  };
  process.once('SIGINT', onSigint);
  const log = (event: object) => o.json && process.stdout.write(JSON.stringify(event) + '\n');
  log({ event: 'start', preset: preset.name, content: contentPath, style: stylePath, out });
  if (!o.json) process.stderr.write(`Rendering "${content.name}" in the style of "${style.name}" with "${preset.name}"\n`);
  if (Object.values(preset.weights).every((w) => w === 0)) {
    const message = 'every loss weight is 0, so there is nothing to optimise: the take will be the starting point (the content) reconstructed';
    log({ event: 'warning', message });
    if (!o.json) process.stderr.write(`warning: ${message}\n`);
  }
  let lastPhase = '';
  let take: TakeResult;
  try {
    take = await renderRequest(
      { jobId: 'cli', content, style, preset, region: o.region },
      {
        isCancelled: () => cancelRequested,
        onProgress: (p) => {
          if (o.json) {
            const { preview: _preview, ...rest } = p;
            log({ event: 'progress', ...rest });
          } else if (p.stopReason && p.iteration < p.total) {
            process.stderr.write(`${tty ? '\r\x1b[K' : ''}optimiser stopped at iteration ${p.iteration} of ${p.total}: ${STOP_REASONS[p.stopReason]}\n`);
          } else if (tty) {
            process.stderr.write(`\r\x1b[K${progressLine(p)}`);
          } else if (p.phase !== lastPhase) {
            process.stderr.write(`${p.phase}…\n`);
          }
          lastPhase = p.phase;
        },
      },
      { budget, segmentSeconds: o.segmentSeconds },
    );
  } finally {
    process.off('SIGINT', onSigint);
    if (tty) process.stderr.write('\n');
  }
  const bytes = await writeTakeFile(out, take, content.name, style.name, format);
  if (o.notesOut) {
    await writeFileAtomic(o.notesOut, await notesFile(o, take, [contentPath, stylePath]));
    log({ event: 'notes', out: o.notesOut });
    if (!o.json) process.stderr.write(`Wrote the notes heard in the content, the style and the take to ${o.notesOut}\n`);
  }
  const m = take.metrics;
  log({ event: 'done', out, bytes, warnings: take.warnings, metrics: m });
  if (!o.json) {
    for (const w of take.warnings) process.stderr.write(`warning: ${w}\n`);
    process.stderr.write(
      `Wrote ${out} (${(take.samples.length / take.sampleRate).toFixed(2)} s, ${format.encoding}, ${format.sampleRate === 'engine' ? take.sampleRate : format.sampleRate} Hz, ${format.channels === 2 ? 'stereo' : 'mono'}) in ${m.seconds.total.toFixed(1)} s on ${m.backend}\n` +
        `  optimiser: ${m.iterations} of ${preset.optimizer.iterations} iterations, ${STOP_REASONS[m.stopReason]}\n` +
        (m.melodyKept === undefined ? '' : `  melody kept ${Math.round(100 * m.melodyKept)} % (the take's pitch within 50 cents of the content's)\n`) +
        `  style loss ratio ${m.styleLossRatio.toFixed(3)}, ${LOSS_TERM_TABLE.filter((t) => preset.weights[t.name] > 0 && t.name !== 'style')
          .map((t) => `${t.metric} ${m.termErrors[t.name].toFixed(3)}`)
          .join(', ')}, Griffin-Lim SC ${m.spectralConvergenceDb.toFixed(1)} dB\n`,
    );
  }
  return 0;
}

/** Run the command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let o: CliOptions | undefined;
  try {
    o = parseCliArgs(argv);
    if (o.help || !o.command) {
      process.stdout.write(usageFor(o.command) + '\n');
      return o.help ? 0 : 2;
    }
    if (o.device) setDevice(o.device);
    const json = o.json;
    onDeviceNotice((message) => (json ? process.stdout.write(JSON.stringify({ event: 'warning', message }) + '\n') : process.stderr.write(`warning: ${message}\n`)));
    switch (o.command) {
      case 'batch':
        return await batchCommand(o);
      case 'worker':
        return await workerCommand(o);
      case 'presets':
        for (const p of BUILTIN_PRESETS) process.stdout.write(o.json ? JSON.stringify(p) + '\n' : `${p.name}\n    ${p.source ?? ''}\n`);
        return 0;
      case 'backends': {
        const list = await listBackends();
        for (const b of list) process.stdout.write(o.json ? JSON.stringify(b) + '\n' : `${b.available ? '✓' : '✗'} ${b.name}: ${b.detail}\n`);
        return 0;
      }
      case 'demo': {
        const dir = demoDir();
        return await runRender(o, path.join(dir, 'content.wav'), path.join(dir, 'style.wav'), o.out ?? 'demo-take.wav');
      }
      case 'render':
        if (!o.content || !o.style || !o.out) throw new GramophoneError('INVALID_INPUT', 'render needs --content, --style and --out');
        return await runRender(o, o.content, o.style, o.out);
    }
  } catch (e) {
    const err = toErrorData(e);
    if (o?.json) process.stdout.write(JSON.stringify({ event: 'error', ...err }) + '\n');
    else process.stderr.write(`error: ${err.message}\n`);
    return exitCodeFor(err);
  }
}

/** Whether this bundle is the program being run: through npm's bin link or any symlink too. */
function runAsProgram(): boolean {
  const invoked = process.argv[1];
  if (!invoked) return false;
  try {
    return realpathSync(invoked) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

const isEntry = runAsProgram();
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`error: ${String(e)}\n`);
      process.exit(1);
    },
  );
}
