/**
 * An in-memory implementation of the UI bridge for tests and for running the UI without an
 * engine (`?fake` in the URL). It synthesises a demo pair, decodes plain PCM/float WAVs,
 * computes display spectrograms with a small FFT, and "renders" by emitting progress
 * events on a timer and returning a filtered mix. It checks nothing the real engine checks
 * beyond what the UI's error paths need.
 */
import type { Track } from '../../common/contract';
import type { Preset } from '../../common/preset';
import { BUILTIN_PRESETS, PresetSchema, migratePreset } from '../../common/preset';
import type { RenderProgress, Spectrogram } from '../../common/audio';
import { GramophoneError } from '../../common/errors';
import type { UiBridge, UiEvent } from '../app/bridge';

interface Held {
  track: Track;
  sampleRate: number;
  channels: Float32Array[];
}

/** Options: `delayMs` between progress events; `storage` to persist user presets. */
export interface FakeApiOptions {
  delayMs?: number;
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  shell?: 'electron' | 'web';
}

export interface FakeApi extends UiBridge {
  /** Test hooks. */
  readonly calls: string[];
  emit(event: UiEvent, data: unknown): void;
}

const STORE_KEY = 'gramophone-fake-presets';

/** Decode a little-endian PCM (8/16/24/32) or float32 WAV; throws UNSUPPORTED_AUDIO otherwise. */
export function decodeWavSimple(name: string, bytes: Uint8Array): { sampleRate: number; channels: Float32Array[]; format: string } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(...bytes.subarray(o, o + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') {
    throw new GramophoneError('UNSUPPORTED_AUDIO', `"${name}" is not a WAV file: it has no RIFF/WAVE header`);
  }
  let o = 12;
  let fmt: { code: number; ch: number; rate: number; bits: number } | null = null;
  while (o + 8 <= bytes.length) {
    const id = tag(o);
    const size = dv.getUint32(o + 4, true);
    const body = o + 8;
    if (id === 'fmt ' && size >= 16) fmt = { code: dv.getUint16(body, true), ch: dv.getUint16(body + 2, true), rate: dv.getUint32(body + 4, true), bits: dv.getUint16(body + 14, true) };
    if (id === 'data') {
      if (!fmt) throw new GramophoneError('UNSUPPORTED_AUDIO', `"${name}" has audio data before its format chunk`);
      const bps = fmt.bits / 8;
      const n = Math.floor(Math.min(size, bytes.length - body) / (bps * fmt.ch));
      if (n === 0) throw new GramophoneError('UNSUPPORTED_AUDIO', `"${name}" contains no samples`);
      const channels = Array.from({ length: fmt.ch }, () => new Float32Array(n));
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < fmt.ch; c++) {
          const p = body + (i * fmt.ch + c) * bps;
          let v: number;
          if (fmt.code === 3 && fmt.bits === 32) v = dv.getFloat32(p, true);
          else if (fmt.bits === 16) v = dv.getInt16(p, true) / 32768;
          else if (fmt.bits === 8) v = (bytes[p] - 128) / 128;
          else if (fmt.bits === 24) v = ((bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)) << 8 >> 8) / 8388608;
          else if (fmt.bits === 32) v = dv.getInt32(p, true) / 2147483648;
          else throw new GramophoneError('UNSUPPORTED_AUDIO', `"${name}" uses ${fmt.bits}-bit samples, which are not supported`);
          channels[c][i] = v;
        }
      }
      return { sampleRate: fmt.rate, channels, format: fmt.code === 3 ? 'float 32-bit' : `PCM ${fmt.bits}-bit` };
    }
    o = body + size + (size & 1);
  }
  throw new GramophoneError('UNSUPPORTED_AUDIO', `"${name}" is truncated: no audio data chunk was found`);
}

/** In-place radix-2 FFT of length re.length (a power of two). */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k);
        const wi = Math.sin(ang * k);
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

/** Display spectrogram in dB of a mono signal, frames × bins row-major. */
export function fakeSpectrogram(x: Float32Array, sampleRate: number, nFft: number, hop: number, maxFrames = 4096): Spectrogram {
  const bins = nFft / 2 + 1;
  const natural = Math.max(1, Math.floor(x.length / hop) + 1);
  const frames = Math.min(natural, maxFrames);
  const step = natural / frames;
  const db = new Float32Array(frames * bins);
  const re = new Float64Array(nFft);
  const im = new Float64Array(nFft);
  for (let t = 0; t < frames; t++) {
    const centre = Math.floor(t * step) * hop;
    for (let i = 0; i < nFft; i++) {
      const k = centre - nFft / 2 + i;
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / nFft);
      re[i] = k >= 0 && k < x.length ? x[k] * w : 0;
      im[i] = 0;
    }
    fft(re, im);
    for (let f = 0; f < bins; f++) db[t * bins + f] = 20 * Math.log10(Math.hypot(re[f], im[f]) + 1e-6);
  }
  return { frames, bins, sampleRate, nFft, hop: Math.round(hop * step), db };
}

/** The demo pair: a short melody (content) and a bright noisy percussion loop (style). */
function demoPair(rate = 22050): { content: Float32Array; style: Float32Array } {
  const dur = 6;
  const content = new Float32Array(rate * dur);
  const notes = [220, 277.18, 329.63, 440, 329.63, 277.18, 246.94, 293.66, 369.99, 440, 369.99, 293.66];
  const noteLen = dur / notes.length;
  for (let i = 0; i < content.length; i++) {
    const t = i / rate;
    const n = Math.min(notes.length - 1, Math.floor(t / noteLen));
    const tn = t - n * noteLen;
    const env = Math.min(1, tn * 40) * Math.exp(-tn * 2.5);
    const f = notes[n];
    content[i] = 0.4 * env * (Math.sin(2 * Math.PI * f * t) + 0.3 * Math.sin(4 * Math.PI * f * t) + 0.15 * Math.sin(6 * Math.PI * f * t));
  }
  const style = new Float32Array(rate * 4);
  let seed = 7;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  for (let i = 0; i < style.length; i++) {
    const t = i / rate;
    const beat = t % 0.25;
    style[i] = 0.5 * Math.exp(-beat * 30) * (0.6 * rnd() + 0.4 * Math.sin(2 * Math.PI * 180 * beat * (1 - beat)));
  }
  return { content, style };
}

const mono = (chs: Float32Array[]): Float32Array => {
  if (chs.length === 1) return chs[0];
  const out = new Float32Array(chs[0].length);
  for (const c of chs) for (let i = 0; i < out.length; i++) out[i] += c[i] / chs.length;
  return out;
};

/** A fake bridge; see the file comment. */
export function createFakeApi(opts: FakeApiOptions = {}): FakeApi {
  const delay = opts.delayMs ?? 30;
  const held = new Map<string, Held>();
  const listeners = new Map<string, Set<(d: unknown) => void>>();
  const cancelledJobs = new Set<string>();
  const calls: string[] = [];
  let seq = 1;
  let user: Preset[] = [];
  try {
    const raw = opts.storage?.getItem(STORE_KEY);
    if (raw) user = (JSON.parse(raw) as unknown[]).map((p) => migratePreset(p));
  } catch {
    user = [];
  }
  const persist = () => opts.storage?.setItem(STORE_KEY, JSON.stringify(user));
  const emit = (event: string, data: unknown) => listeners.get(event)?.forEach((l) => l(data));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const hold = (kind: Track['kind'], name: string, sampleRate: number, channels: Float32Array[], format: string, take?: Track['take']): Track => {
    const id = `${kind}-${seq++}`;
    const frames = channels[0].length;
    const track: Track = {
      id,
      kind,
      info: { name, sampleRate, channels: channels.length, frames, duration: frames / sampleRate, format, warnings: [] },
      ...(take ? { take } : {}),
    };
    held.set(id, { track, sampleRate, channels });
    return track;
  };
  const get = (id: string): Held => {
    const h = held.get(id);
    if (!h) throw new GramophoneError('INVALID_INPUT', `No track ${id}`);
    return h;
  };
  const isBuiltin = (name: string) => BUILTIN_PRESETS.some((b) => b.name.toLowerCase() === name.toLowerCase());

  const api: FakeApi = {
    calls,
    emit,
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (d: unknown) => void);
      return () => set.delete(listener as (d: unknown) => void);
    },
    async getAppInfo() {
      calls.push('getAppInfo');
      return { version: '0.1.0-fake', shell: opts.shell ?? 'web', engine: { state: 'ready', backend: 'fake' }, backends: [{ name: 'fake', available: true, detail: 'in-memory fake' }] };
    },
    async loadDemo() {
      calls.push('loadDemo');
      const { content, style } = demoPair();
      return { content: hold('content', 'demo-melody.wav', 22050, [content], 'PCM 16-bit'), style: hold('style', 'demo-bongos.wav', 22050, [style], 'PCM 16-bit') };
    },
    async openAudio() {
      calls.push('openAudio');
      throw new GramophoneError('INVALID_INPUT', 'No file dialog in the browser: drop a WAV on the lane or choose one with the file picker.');
    },
    async importAudio({ lane, name, bytes }) {
      calls.push('importAudio');
      const d = decodeWavSimple(name, bytes);
      return hold(lane, name, d.sampleRate, d.channels, d.format);
    },
    async getAudio({ trackId }) {
      const h = get(trackId);
      return { sampleRate: h.sampleRate, channels: h.channels.map((c) => c.slice()) };
    },
    async getSpectrogram({ trackId, nFft, hop, maxFrames }) {
      const h = get(trackId);
      return fakeSpectrogram(mono(h.channels), h.sampleRate, nFft, hop, maxFrames);
    },
    async listTracks() {
      calls.push('listTracks');
      const rank = (t: Track) => (t.kind === 'content' ? 0 : t.kind === 'style' ? 1 : 2);
      return { tracks: [...held.values()].map((h) => h.track).sort((a, b) => rank(a) - rank(b)) };
    },
    async removeTrack({ trackId }) {
      return { removed: held.delete(trackId) };
    },
    async render({ jobId, contentId, styleId, preset, region }) {
      calls.push('render');
      const c = get(contentId);
      get(styleId);
      const start = Date.now();
      const n = preset.optimizer.iterations;
      const elapsed = () => (Date.now() - start) / 1000;
      const step = async (p: Omit<RenderProgress, 'jobId' | 'elapsed'>) => {
        await sleep(delay);
        if (cancelledJobs.has(jobId)) throw new GramophoneError('CANCELLED', 'Render cancelled');
        emit('renderProgress', { jobId, elapsed: elapsed(), ...p });
      };
      await step({ phase: 'decode', iteration: 0, total: 0 });
      await step({ phase: 'analyse', iteration: 0, total: 0 });
      const pf = 48;
      const pb = 32;
      for (let i = 1; i <= n; i++) {
        const k = Math.exp(-i / (n / 4));
        const terms = { content: 0.2 * (1 - k), style: k, energy: 0.5 * k + 0.05, timbre: 0.3 * k + 0.02, texture: 0, envelope: 0 };
        const w = PresetSchema.parse(preset).weights;
        const loss = w.content * terms.content + w.style * terms.style + w.energy * terms.energy + w.timbre * terms.timbre;
        const data = new Uint8Array(pf * pb);
        for (let t = 0; t < pf; t++) for (let f = 0; f < pb; f++) data[t * pb + f] = Math.round(255 * Math.max(0, Math.min(1, (1 - f / pb) * (0.5 + 0.5 * Math.sin(t / 3 + i / 5)) * (1 - k * 0.5))));
        await step({ phase: 'optimise', iteration: i, total: n, loss, terms, eta: ((n - i) * delay) / 1000, preview: i % 5 === 0 || i === 1 ? { frames: pf, bins: pb, data } : undefined });
      }
      await step({ phase: 'reconstruct', iteration: 1, total: 1 });
      await step({ phase: 'encode', iteration: 0, total: 0 });
      const src = mono(c.channels);
      const a = region ? Math.floor(region.start * c.sampleRate) : 0;
      const b = region ? Math.floor(region.end * c.sampleRate) : src.length;
      const out = new Float32Array(b - a);
      let lp = 0;
      for (let i = 0; i < out.length; i++) {
        lp += 0.2 * (src[a + i] - lp);
        out[i] = 0.8 * lp + 0.05 * Math.sin(i * 0.37) * Math.abs(src[a + i]);
      }
      const terms0 = { content: 0, style: 1, energy: 0.55, timbre: 0.32, texture: 0, envelope: 0 };
      const termsN = { content: 0.2, style: 0.02, energy: 0.06, timbre: 0.03, texture: 0, envelope: 0 };
      return hold('take', `${preset.name} take ${seq}`, c.sampleRate, [out], 'float 32-bit', {
        jobId,
        preset: PresetSchema.parse(preset),
        region,
        warnings: [],
        metrics: {
          backend: 'fake',
          iterations: n,
          initialLoss: 1,
          finalLoss: 0.05,
          initialTerms: terms0,
          finalTerms: termsN,
          styleLossRatio: 0.02,
          stopReason: 'iterations',
          termErrors: { content: 0.3, style: 0, energy: 0.1, timbre: 0.05, texture: 0, envelope: 0 },
          spectralConvergence: 0.1,
          spectralConvergenceDb: -20,
          peakDb: -1,
          seconds: { analyse: 0.01, optimise: elapsed(), reconstruct: 0.01, total: elapsed() },
        },
      });
    },
    async cancelRender({ jobId }) {
      cancelledJobs.add(jobId);
      return { cancelled: true };
    },
    async listPresets() {
      return { builtin: BUILTIN_PRESETS.map((p) => structuredClone(p) as Preset), user: user.slice(), notices: [] };
    },
    async savePreset({ preset, overwrite }) {
      calls.push('savePreset');
      if (isBuiltin(preset.name)) throw new GramophoneError('INVALID_INPUT', `"${preset.name}" is a built-in preset; save it under another name`);
      const i = user.findIndex((u) => u.name === preset.name);
      if (i >= 0 && !overwrite) throw new GramophoneError('INVALID_INPUT', `A preset named "${preset.name}" already exists`);
      const { source: _s, ...rest } = preset;
      const saved = PresetSchema.parse(rest);
      user = i >= 0 ? user.map((u, k) => (k === i ? saved : u)) : [...user, saved];
      persist();
      return { user: user.slice() };
    },
    async renamePreset({ from, to }) {
      if (isBuiltin(to) || user.some((u) => u.name === to)) throw new GramophoneError('INVALID_INPUT', `A preset named "${to}" already exists`);
      const i = user.findIndex((u) => u.name === from);
      if (i < 0) throw new GramophoneError('INVALID_INPUT', `No user preset named "${from}"`);
      user = user.map((u, k) => (k === i ? { ...u, name: to } : u));
      persist();
      return { user: user.slice() };
    },
    async deletePreset({ name }) {
      const deleted = user.find((u) => u.name === name);
      if (!deleted) throw new GramophoneError('INVALID_INPUT', `No user preset named "${name}"`);
      user = user.filter((u) => u !== deleted);
      persist();
      return { user: user.slice(), deleted };
    },
    async importPresets() {
      throw new GramophoneError('INVALID_INPUT', 'No file dialog in the browser: choose a JSON file with the file picker.');
    },
    async exportPresets({ names }) {
      return { path: `/fake/export/${names.length}-presets.json` };
    },
    async exportTakes({ trackIds, format }) {
      calls.push('exportTakes');
      return { paths: trackIds.map((id) => `/fake/export/${get(id).track.info.name}.${format.encoding}.wav`) };
    },
  };
  return api;
}
