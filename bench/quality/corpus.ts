/**
 * Renders the corpus clips with Debian's fluidsynth and the FluidR3 General MIDI soundfont
 * (reverb and chorus off), mixed to mono at 22.05 kHz, trimmed or padded to 10 s and peak
 * normalised to −1 dBFS. Clips are cached as float WAVs keyed by a hash of their recipe, so
 * changing a melody, an instrument or a setting renders that clip again and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeWav } from '../../engine/audio/wav';
import { encodeWav } from '../../engine/audio/wav-encode';
import { writeFileAtomic } from '../../engine/io/atomic-write';
import { mixdown } from '../../engine/dsp/mixdown';
import { normalisePeak } from '../../engine/render/render';
import { writeMidiFile } from '../../engine/analysis/midi-file';
import { TICKS_PER_QUARTER, clipModulation, type Clip } from './melodies';
import { METRIC_ANALYSIS } from './spectral-distances';

/** Every corpus clip's format: the metrics' rate, 10 s, peak at −1 dBFS. */
export const CORPUS_AUDIO = { sampleRate: METRIC_ANALYSIS.sampleRate, seconds: 10, peakDb: -1 } as const;
/** Samples in every clip. */
export const CLIP_SAMPLES = CORPUS_AUDIO.sampleRate * CORPUS_AUDIO.seconds;

export const SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2';
/** Bump when the rendering recipe changes in a way the recipe object does not show. */
const RECIPE_VERSION = 1;
const FLUIDSYNTH_FLAGS = ['-n', '-i', '-q', '-R', '0', '-C', '0', '-g', '0.5', '-r', String(CORPUS_AUDIO.sampleRate), '-O', 'float', '-T', 'wav'];

/** The first line of `fluidsynth --version`, or null when it does not run. */
function fluidsynthVersion(): string | null {
  const r = spawnSync('fluidsynth', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0].trim() : null;
}

/**
 * Make sure fluidsynth and the FluidR3 soundfont are installed, installing them with apt
 * (and saying so on `log`) when they are missing.
 * @returns the fluidsynth version line
 * @throws Error in words when they are missing and cannot be installed
 */
export function ensureFluidsynth(log: (line: string) => void): string {
  let version = fluidsynthVersion();
  if (version && existsSync(SOUNDFONT)) return version;
  const packages = ['fluidsynth', 'fluid-soundfont-gm'];
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' });
  if (apt.status !== 0) throw new Error(`fluidsynth and ${SOUNDFONT} are needed to render the corpus: install ${packages.join(' and ')}`);
  const root = process.getuid?.() === 0;
  log(`bench:quality: installing ${packages.join(' and ')} with apt-get (needed to render the corpus)`);
  const run = (args: string[]) => {
    const cmd = root ? args : ['sudo', ...args];
    const r = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`"${cmd.join(' ')}" failed (exit ${r.status ?? r.signal}); install ${packages.join(' and ')} yourself`);
  };
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', ...packages]);
  version = fluidsynthVersion();
  if (!version || !existsSync(SOUNDFONT)) throw new Error(`apt-get installed ${packages.join(' and ')} but fluidsynth or ${SOUNDFONT} is still missing`);
  return version;
}

/** Everything that decides a clip's samples; its hash names the cached file. */
export function clipRecipe(clip: Clip, fluidsynth: string): object {
  const { melody, instrument } = clip;
  return {
    version: RECIPE_VERSION,
    fluidsynth,
    flags: FLUIDSYNTH_FLAGS,
    soundfont: { path: SOUNDFONT, bytes: existsSync(SOUNDFONT) ? statSync(SOUNDFONT).size : 0 },
    audio: CORPUS_AUDIO,
    program: instrument.program,
    ticksPerQuarter: TICKS_PER_QUARTER,
    tempo: melody.tempoUsPerQuarter,
    modulation: clipModulation(clip) ?? null,
    notes: melody.notes.map((n) => [n.pitch, n.tick, n.ticks, n.velocity]),
  };
}

/** "<melody>-<instrument>-<first 12 hex digits of the recipe's SHA-256>". */
export function clipKey(clip: Clip, fluidsynth: string): string {
  const hash = createHash('sha256')
    .update(JSON.stringify(clipRecipe(clip, fluidsynth)))
    .digest('hex')
    .slice(0, 12);
  return `${clip.melody.name}-${clip.instrument.name}-${hash}`;
}

/** `x` cut or zero-padded to exactly `n` samples. */
export function fitLength(x: Float32Array, n: number): Float32Array {
  if (x.length === n) return x;
  const out = new Float32Array(n);
  out.set(x.length > n ? x.subarray(0, n) : x);
  return out;
}

/** Render one clip with fluidsynth (no cache): mono, CLIP_SAMPLES long, peak at −1 dBFS. */
export function renderClip(clip: Clip): Float32Array {
  const dir = mkdtempSync(path.join(tmpdir(), 'gramophone-corpus-'));
  try {
    const mid = path.join(dir, 'clip.mid');
    const wav = path.join(dir, 'clip.wav');
    const { melody, instrument } = clip;
    writeFileSync(
      mid,
      writeMidiFile({ ticksPerQuarter: TICKS_PER_QUARTER, tempoUsPerQuarter: melody.tempoUsPerQuarter, program: instrument.program, modulation: clipModulation(clip), notes: melody.notes }),
    );
    const r = spawnSync('fluidsynth', [...FLUIDSYNTH_FLAGS, '-F', wav, SOUNDFONT, mid], { encoding: 'utf8' });
    if (r.status !== 0 || !existsSync(wav)) {
      throw new Error(`fluidsynth could not render ${melody.name} on ${instrument.name}: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}`);
    }
    const decoded = decodeWav(new Uint8Array(readFileSync(wav)), `${melody.name}-${instrument.name}.wav`);
    if (decoded.sampleRate !== CORPUS_AUDIO.sampleRate) throw new Error(`fluidsynth wrote ${decoded.sampleRate} Hz, not ${CORPUS_AUDIO.sampleRate}`);
    const mono = fitLength(mixdown(decoded.channels), CLIP_SAMPLES);
    const out = normalisePeak(mono, true, CORPUS_AUDIO.peakDb);
    if (out.peakDb === -Infinity) throw new Error(`fluidsynth rendered silence for ${melody.name} on ${instrument.name} (program ${instrument.program})`);
    return out.samples;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A clip's samples from the cache in `cacheDir`, rendering and caching it first if needed.
 * @returns mono float samples at CORPUS_AUDIO.sampleRate, CLIP_SAMPLES long
 */
export async function loadClip(clip: Clip, cacheDir: string, fluidsynth: string): Promise<Float32Array> {
  const file = path.join(cacheDir, `${clipKey(clip, fluidsynth)}.wav`);
  if (existsSync(file)) {
    const decoded = decodeWav(new Uint8Array(await readFile(file)), file);
    if (decoded.sampleRate === CORPUS_AUDIO.sampleRate && decoded.frames === CLIP_SAMPLES) return decoded.channels[0];
  }
  const samples = renderClip(clip);
  await mkdir(cacheDir, { recursive: true });
  await writeFileAtomic(file, encodeWav([samples], CORPUS_AUDIO.sampleRate, 'float32', { title: path.basename(file, '.wav') }));
  return samples;
}
