/**
 * Converting a file the engine does not decode itself (M4A/AAC/ALAC: common/audio-formats.ts
 * CONVERTED_FORMATS) to a float WAV with a system `ffmpeg`, for the command line and batch.
 * ffmpeg runs as a child process with an argument array (no shell), its output bounded in
 * size (`-fs`) and its run in time; what it says on stderr is kept, bounded, for the error.
 * No ffmpeg on the PATH is not an error here: the caller keeps its own refusal.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAX_AUDIO_BYTES } from '../../common/engine-api';
import { refusal } from './refuse';

/** Longest a conversion may run, in ms: AAC decodes at hundreds of times real time. */
const CONVERT_TIME_LIMIT_MS = 5 * 60_000;
/** Most of ffmpeg's stderr kept for a message, in characters. */
const STDERR_KEPT = 2000;

/** What `convertWithFfmpeg` needs besides the file. */
export interface FfmpegOptions {
  /** The program to run. Default "ffmpeg", found on the PATH. */
  program?: string;
  /** The program that reads the declared length. Default "ffprobe" (installed with ffmpeg). */
  probe?: string;
  /** Stop ffmpeg after this many ms. Default 5 minutes. */
  timeLimitMs?: number;
  /** Largest WAV accepted, in bytes. Default MAX_AUDIO_BYTES. */
  maxBytes?: number;
}

/** How a tool run ended: exit code, the ends of its output (bounded), whether it was stopped. */
interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Run `program` with `args` (no shell), stopped after `limit` ms; null when it is not installed. */
function runTool(program: string, args: string[], limit: number, name: string): Promise<ToolRun | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const run: ToolRun = { code: null, stdout: '', stderr: '', timedOut: false };
    const timer = setTimeout(() => {
      run.timedOut = true;
      child.kill('SIGKILL');
    }, limit);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (run.stdout = (run.stdout + d).slice(0, STDERR_KEPT)));
    child.stderr.on('data', (d: string) => (run.stderr = (run.stderr + d).slice(-STDERR_KEPT)));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ENOENT') resolve(null);
      else reject(refusal('INVALID_INPUT', name, `${program} could not be started (${e.message})`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ...run, code });
    });
  });
}

/**
 * Samples per channel of the first audio stream, as its container declares (an MP4's edit
 * list leaves out the encoder's padding, which ffmpeg's decoder still outputs at the end);
 * null when ffprobe is missing or cannot tell.
 */
async function declaredFrames(file: string, program: string, limit: number, name: string): Promise<number | null> {
  const args = ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=sample_rate,duration', '-of', 'default=noprint_wrappers=1', `file:${file}`];
  const run = await runTool(program, args, limit, name);
  if (!run || run.code !== 0) return null;
  const field = (key: string) => Number(run.stdout.match(new RegExp(`^${key}=(.*)$`, 'm'))?.[1] ?? NaN);
  const rate = field('sample_rate');
  const seconds = field('duration');
  return Number.isFinite(rate) && Number.isFinite(seconds) && rate > 0 && seconds > 0 ? Math.round(rate * seconds) : null;
}

/**
 * The first audio stream of `file` as a 32-bit float WAV at its own rate and channels, cut
 * to the length its container declares (ffprobe's, when there is one).
 * @param file a path to the file (passed to ffmpeg as a `file:` URL, so no name is read
 *   as an option or a protocol)
 * @param name the file name shown to the person
 * @returns the WAV's bytes, or null when there is no ffmpeg to run
 * @throws GramophoneError INVALID_INPUT when ffmpeg fails, runs too long, or writes more
 *   than `maxBytes`; the message names the file and gives ffmpeg's own words
 */
export async function convertWithFfmpeg(file: string, name: string, opts: FfmpegOptions = {}): Promise<Uint8Array | null> {
  const maxBytes = opts.maxBytes ?? MAX_AUDIO_BYTES;
  const limit = opts.timeLimitMs ?? CONVERT_TIME_LIMIT_MS;
  const program = opts.program ?? 'ffmpeg';
  const source = path.resolve(file);
  const dir = await mkdtemp(path.join(tmpdir(), 'gramophone-ffmpeg-'));
  const out = path.join(dir, 'converted.wav');
  try {
    const frames = await declaredFrames(source, opts.probe ?? 'ffprobe', limit, name);
    const trim = frames ? ['-af', `atrim=end_sample=${frames}`] : [];
    const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', `file:${source}`, '-map', '0:a:0', '-vn', ...trim, '-c:a', 'pcm_f32le', '-fs', String(maxBytes), '-f', 'wav', `file:${out}`];
    const result = await runTool(program, args, limit, name);
    if (result === null) return null;
    const said = result.stderr.trim().split('\n').filter(Boolean).at(-1);
    if (result.timedOut) throw refusal('INVALID_INPUT', name, `ffmpeg did not finish converting it within ${Math.round(limit / 1000)} s`);
    if (result.code !== 0) throw refusal('INVALID_INPUT', name, `ffmpeg could not convert it (${said ?? `exit code ${result.code}`})`);
    const bytes = new Uint8Array(await readFile(out));
    // -fs stops writing at the limit, so a file at the limit was cut: refuse it, do not truncate.
    if (bytes.length >= maxBytes) throw refusal('INVALID_INPUT', name, `it converts to more than ${Math.round(maxBytes / 2 ** 20)} MiB of audio, over the engine's limit`);
    return bytes;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
