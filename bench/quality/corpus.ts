/**
 * Renders the corpus clips with Debian's fluidsynth and the FluidR3 General MIDI soundfont
 * (reverb and chorus off), or with another sound font, or with an STK physical model
 * (`stk-demo`, from a SKINI score of the same notes); mixed to mono at 22.05 kHz, trimmed or
 * padded to 10 s and peak normalised to −1 dBFS. Clips are cached as float WAVs keyed by a
 * hash of their recipe, so changing a melody, an instrument or a setting renders that clip
 * again and nothing else.
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
import { maxPolyphony } from './pieces';
import { TICKS_PER_QUARTER, clipModulation, type Clip } from './melodies';
import { METRIC_ANALYSIS } from './spectral-distances';
import { FLUIDR3, SOUND_FONTS, STK_APT, STK_VOICES, rendererTag, skiniScore, type Renderer } from './renderers';

/** Every corpus clip's format: the metrics' rate, 10 s, peak at −1 dBFS. */
export const CORPUS_AUDIO = { sampleRate: METRIC_ANALYSIS.sampleRate, seconds: 10, peakDb: -1 } as const;
/** Samples in every clip. */
export const CLIP_SAMPLES = CORPUS_AUDIO.sampleRate * CORPUS_AUDIO.seconds;

/** Bump when the rendering recipe changes in a way the recipe object does not show. */
const RECIPE_VERSION = 1;
const FLUIDSYNTH_FLAGS = ['-n', '-i', '-q', '-R', '0', '-C', '0', '-g', '0.5', '-r', String(CORPUS_AUDIO.sampleRate), '-O', 'float', '-T', 'wav'];

/** The first line of `fluidsynth --version`, or null when it does not run. */
function fluidsynthVersion(): string | null {
  const r = spawnSync('fluidsynth', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0].trim() : null;
}

/** The renderers a set of clips needs, and what is installed. */
export interface RenderTools {
  /** `fluidsynth --version`'s first line. */
  fluidsynth: string;
  /** The installed `stk` package's version, or null when no clip needs it. */
  stk: string | null;
}

/** The Debian version of `stk` (which holds `stk-demo`), or null when it is not installed. */
function stkVersion(): string | null {
  if (spawnSync('sh', ['-c', 'command -v stk-demo'], { encoding: 'utf8' }).status !== 0) return null;
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', STK_APT], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? `stk ${r.stdout.trim()}` : 'stk';
}

/** The apt packages missing for `renderers` (fluidsynth and FluidR3 are always needed). */
export function missingPackages(renderers: readonly Renderer[]): string[] {
  const missing = new Set<string>();
  if (!fluidsynthVersion()) missing.add('fluidsynth');
  for (const r of [FLUIDR3, ...renderers]) {
    if (r.kind === 'fluidsynth' && !existsSync(SOUND_FONTS[r.font].path)) missing.add(SOUND_FONTS[r.font].apt);
    if (r.kind === 'stk' && !stkVersion()) missing.add(STK_APT);
  }
  return [...missing];
}

/**
 * Make sure fluidsynth, the sound fonts and `stk-demo` that `renderers` need are installed,
 * installing the missing packages with apt (and saying which on `log`).
 * @throws Error naming the missing packages when they cannot be installed
 */
export function ensureRenderers(log: (line: string) => void, renderers: readonly Renderer[] = []): RenderTools {
  let missing = missingPackages(renderers);
  if (missing.length) {
    const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' });
    if (apt.status !== 0) throw new Error(`the corpus needs ${missing.join(', ')} (no apt-get here: install them yourself)`);
    const root = process.getuid?.() === 0;
    log(`bench:quality: missing ${missing.join(', ')}; installing with apt-get (needed to render the corpus)`);
    const run = (args: string[]) => {
      const cmd = root ? args : ['sudo', ...args];
      const r = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      if (r.status !== 0) throw new Error(`"${cmd.join(' ')}" failed (exit ${r.status ?? r.signal}); install ${missing.join(', ')} yourself (scripts/setup.sh does)`);
    };
    run(['apt-get', 'update', '-qq']);
    run(['apt-get', 'install', '-y', '-qq', ...missing]);
    missing = missingPackages(renderers);
    if (missing.length) throw new Error(`apt-get ran but ${missing.join(', ')} is still missing`);
  }
  return { fluidsynth: fluidsynthVersion()!, stk: renderers.some((r) => r.kind === 'stk') ? stkVersion() : null };
}

/** What plays a clip: its own renderer, else its instrument's, else FluidR3. */
export const clipRenderer = (clip: Clip): Renderer => clip.renderer ?? clip.instrument.renderer ?? FLUIDR3;

/**
 * STK note-on velocities tried in turn: the first whose 16-bit output stays below
 * STK_CLIP_LIMIT is kept (louder models clip at the higher ones, and a clipped 16-bit file
 * is not a truth).
 */
const STK_VELOCITIES = [64, 40, 24, 14, 8] as const;
/** Peak of a 16-bit STK output that counts as clipped (full scale is 1). */
const STK_CLIP_LIMIT = 0.98;

/** Everything that decides a clip's samples; its hash names the cached file. */
export function clipRecipe(clip: Clip, fluidsynth: string, stk: string | null = null): object {
  const { melody, instrument } = clip;
  const renderer = clipRenderer(clip);
  const notes = melody.notes.map((n) => [n.pitch, n.tick, n.ticks, n.velocity]);
  if (renderer.kind === 'stk') {
    return {
      version: RECIPE_VERSION,
      renderer,
      stk,
      voices: STK_VOICES,
      velocities: STK_VELOCITIES,
      clipLimit: STK_CLIP_LIMIT,
      audio: CORPUS_AUDIO,
      ticksPerQuarter: TICKS_PER_QUARTER,
      tempo: melody.tempoUsPerQuarter,
      // No modulation wheel for the models (see skiniScore).
      vibrato: null,
      notes,
    };
  }
  const font = SOUND_FONTS[renderer.font].path;
  // FluidR3 clips keep the recipe they had before other renderers came, so their cache stays valid.
  return {
    ...(renderer.font === 'FluidR3' ? {} : { renderer }),
    version: RECIPE_VERSION,
    fluidsynth,
    flags: FLUIDSYNTH_FLAGS,
    soundfont: { path: font, bytes: existsSync(font) ? statSync(font).size : 0 },
    audio: CORPUS_AUDIO,
    program: instrument.program,
    ticksPerQuarter: TICKS_PER_QUARTER,
    tempo: melody.tempoUsPerQuarter,
    modulation: clipModulation(clip) ?? null,
    notes,
  };
}

/** "<melody>-<instrument>[-<renderer tag>]-<first 12 hex digits of the recipe's SHA-256>" (no tag for FluidR3). */
export function clipKey(clip: Clip, fluidsynth: string, stk: string | null = null): string {
  const hash = createHash('sha256')
    .update(JSON.stringify(clipRecipe(clip, fluidsynth, stk)))
    .digest('hex')
    .slice(0, 12);
  const r = clipRenderer(clip);
  const tag = r.kind === 'fluidsynth' && r.font === 'FluidR3' ? '' : `-${rendererTag(r)}`;
  return `${clip.melody.name}-${clip.instrument.name}${tag}-${hash}`;
}

/** `x` cut or zero-padded to exactly `n` samples. */
export function fitLength(x: Float32Array, n: number): Float32Array {
  if (x.length === n) return x;
  const out = new Float32Array(n);
  out.set(x.length > n ? x.subarray(0, n) : x);
  return out;
}

/** Decode a renderer's WAV output to mono at the corpus rate, fitted to CLIP_SAMPLES. */
function readRendered(wav: string, what: string): { mono: Float32Array; peak: number } {
  const decoded = decodeWav(new Uint8Array(readFileSync(wav)), `${what}.wav`);
  if (decoded.sampleRate !== CORPUS_AUDIO.sampleRate) throw new Error(`${what}: the renderer wrote ${decoded.sampleRate} Hz, not ${CORPUS_AUDIO.sampleRate}`);
  const all = mixdown(decoded.channels);
  let peak = 0;
  for (const v of all) peak = Math.max(peak, Math.abs(v));
  return { mono: fitLength(all, CLIP_SAMPLES), peak };
}

/** Render a clip with `stk-demo` from a SKINI score, at the first velocity whose output does not clip. */
function renderStk(clip: Clip, model: string, dir: string): Float32Array {
  const { melody, instrument } = clip;
  const what = `${melody.name} on STK ${model}`;
  const ski = path.join(dir, 'clip.ski');
  const wav = path.join(dir, 'clip.wav');
  const secondsPerTick = melody.tempoUsPerQuarter / 1e6 / TICKS_PER_QUARTER;
  // More notes at once than voices would make stk-demo drop some: the truth would lack them.
  if (maxPolyphony(melody) > STK_VOICES) throw new Error(`${what} holds ${maxPolyphony(melody)} notes at once; stk-demo is given ${STK_VOICES} voices`);
  for (const velocity of STK_VELOCITIES) {
    writeFileSync(ski, skiniScore(melody.notes, secondsPerTick, velocity));
    rmSync(wav, { force: true });
    const r = spawnSync('stk-demo', [model, '-n', String(STK_VOICES), '-s', String(CORPUS_AUDIO.sampleRate), '-ow', wav, '-if', ski], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0 || !existsSync(wav))
      throw new Error(
        `stk-demo could not render ${what} (${instrument.name}): ${(
          r.error?.message ||
          r.stderr
            .split('\n')
            .filter((l) => !/ALSA|Pulse|^\s*$/.test(l))
            .join(' ') ||
          `exit ${r.status}`
        ).trim()}`,
      );
    const { mono, peak } = readRendered(wav, what);
    if (peak === 0) throw new Error(`stk-demo rendered silence for ${what}`);
    if (peak < STK_CLIP_LIMIT) return mono;
  }
  throw new Error(`stk-demo clips ${what} even at velocity ${STK_VELOCITIES[STK_VELOCITIES.length - 1]}`);
}

/** Render one clip with its renderer (no cache): mono, CLIP_SAMPLES long, peak at −1 dBFS. */
export function renderClip(clip: Clip): Float32Array {
  const dir = mkdtempSync(path.join(tmpdir(), 'gramophone-corpus-'));
  try {
    const renderer = clipRenderer(clip);
    const { melody, instrument } = clip;
    if (renderer.kind === 'stk') {
      const out = normalisePeak(renderStk(clip, renderer.model, dir), true, CORPUS_AUDIO.peakDb);
      if (out.peakDb === -Infinity) throw new Error(`stk-demo rendered silence for ${melody.name} on ${renderer.model}`);
      return out.samples;
    }
    const font = SOUND_FONTS[renderer.font].path;
    const mid = path.join(dir, 'clip.mid');
    const wav = path.join(dir, 'clip.wav');
    writeFileSync(
      mid,
      writeMidiFile({ ticksPerQuarter: TICKS_PER_QUARTER, tempoUsPerQuarter: melody.tempoUsPerQuarter, program: instrument.program, modulation: clipModulation(clip), notes: melody.notes }),
    );
    if (!existsSync(font)) throw new Error(`the sound font ${font} is missing: install ${SOUND_FONTS[renderer.font].apt} (scripts/setup.sh does)`);
    const r = spawnSync('fluidsynth', [...FLUIDSYNTH_FLAGS, '-F', wav, font, mid], { encoding: 'utf8' });
    if (r.status !== 0 || !existsSync(wav)) {
      throw new Error(`fluidsynth could not render ${melody.name} on ${instrument.name} (${renderer.font}): ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}`);
    }
    const { mono } = readRendered(wav, `${melody.name}-${instrument.name}`);
    const out = normalisePeak(mono, true, CORPUS_AUDIO.peakDb);
    if (out.peakDb === -Infinity) throw new Error(`fluidsynth rendered silence for ${melody.name} on ${instrument.name} (program ${instrument.program}, ${renderer.font})`);
    return out.samples;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A clip's samples from the cache in `cacheDir`, rendering and caching it first if needed.
 * @returns mono float samples at CORPUS_AUDIO.sampleRate, CLIP_SAMPLES long
 */
export async function loadClip(clip: Clip, cacheDir: string, fluidsynth: string, stk: string | null = null): Promise<Float32Array> {
  const file = path.join(cacheDir, `${clipKey(clip, fluidsynth, stk)}.wav`);
  if (existsSync(file)) {
    const decoded = decodeWav(new Uint8Array(await readFile(file)), file);
    if (decoded.sampleRate === CORPUS_AUDIO.sampleRate && decoded.frames === CLIP_SAMPLES) return decoded.channels[0];
  }
  const samples = renderClip(clip);
  await mkdir(cacheDir, { recursive: true });
  await writeFileAtomic(file, encodeWav([samples], CORPUS_AUDIO.sampleRate, 'float32', { title: path.basename(file, '.wav') }));
  return samples;
}
