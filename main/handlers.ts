/**
 * Main's implementation of the renderer API: plain functions of their dependencies (engine
 * host, preset store, tracks, dialogs, files), with no Electron in sight. Electron wires them
 * to `ipcMain` (`electron/ipc.ts`); the local web server wires the same object to a
 * WebSocket (`web/web-server.ts`). Arguments arrive validated by `dispatch`.
 */
import path from 'node:path';
import type { ApiHandlers, EventData, EventName, ArgsOf, ResultOf, MethodName } from '../common/rpc';
import { rendererApi, type RendererSpec, type Lane, type EngineStatus } from '../common/contract';
import type { EngineApi } from '../common/engine-api';
import { MAX_AUDIO_BYTES } from '../common/engine-api';
import type { RenderProgress } from '../common/audio';
import { GramophoneError } from '../common/errors';
import type { Dialogs } from './dialogs';
import type { FileAccess } from './file-access';
import type { PresetStore } from './preset-store';
import { TrackStore, monoMix, toTrack } from './track-store';
import { exportTakes } from './stem-export';
import { APP_VERSION } from './app-version';

/** The part of EngineHost the handlers use (tests may pass a fake). */
export interface EngineService {
  readonly status: EngineStatus;
  call<M extends MethodName<EngineApi>>(method: M, args: ArgsOf<EngineApi, M>): Promise<ResultOf<EngineApi, M>>;
  render(args: ArgsOf<EngineApi, 'render'>, onProgress?: (p: RenderProgress) => void): Promise<ResultOf<EngineApi, 'render'>>;
  cancel(jobId: string): Promise<{ cancelled: boolean }>;
}

export type RendererEmit = <E extends EventName<RendererSpec>>(event: E, data: EventData<RendererSpec, E>) => void;

export interface HandlerDeps {
  shell: 'electron' | 'web';
  engine: EngineService;
  presets: PresetStore;
  dialogs: Dialogs;
  files: FileAccess;
  /** Folder holding the demo pair `content.wav` and `style.wav`. */
  demoDir: string;
  /** Send an event to the renderer(s). */
  emit: RendererEmit;
  tracks?: TrackStore;
}

const MAX_PRESET_FILE_BYTES = 8 * 1024 * 1024;
const JSON_FILTER = [{ name: 'Gramophone presets (JSON)', extensions: ['json'] }];
const WAV_FILTER = [{ name: 'WAV audio', extensions: ['wav', 'wave'] }];

/** Build the handler for every method of `rendererApi`. */
export function createHandlers(deps: HandlerDeps): { handlers: ApiHandlers<RendererSpec, unknown>; tracks: TrackStore } {
  const tracks = deps.tracks ?? new TrackStore();
  const { engine, presets, dialogs, files, emit } = deps;
  let backends: ResultOf<EngineApi, 'info'>['backends'] | null = null;

  async function load(lane: Lane, name: string, bytes: Uint8Array) {
    const decoded = await engine.call('decode', { name, bytes });
    return toTrack(tracks.addInput(lane, decoded.info, bytes, decoded.channels));
  }

  const handlers: ApiHandlers<RendererSpec, unknown> = {
    async getAppInfo() {
      if (!backends) {
        backends = await Promise.race([
          engine.call('info', {}).then((i) => i.backends),
          new Promise<null>((r) => setTimeout(() => r(null), 10_000)),
        ]).catch(() => null);
      }
      return { version: APP_VERSION, shell: deps.shell, engine: engine.status, backends: backends ?? [] };
    },
    async loadDemo() {
      const read = (f: string) => files.read(path.join(deps.demoDir, f), MAX_AUDIO_BYTES);
      const [c, s] = await Promise.all([read('content.wav'), read('style.wav')]);
      return { content: await load('content', 'Demo content.wav', c), style: await load('style', 'Demo style.wav', s) };
    },
    async openAudio({ lane }) {
      const file = await dialogs.openFile({ title: `Open a WAV file for the ${lane} lane`, filters: WAV_FILTER });
      if (!file) return null;
      return load(lane, path.basename(file).slice(0, 255), await files.read(file, MAX_AUDIO_BYTES));
    },
    importAudio: ({ lane, name, bytes }) => load(lane, name, bytes),
    getAudio({ trackId }) {
      const t = tracks.get(trackId);
      if (t.kind === 'take') return { sampleRate: t.result.sampleRate, channels: [t.result.samples] };
      return { sampleRate: t.info.sampleRate, channels: t.channels };
    },
    async getSpectrogram({ trackId, nFft, hop, maxFrames }) {
      const t = tracks.get(trackId);
      const [samples, sampleRate] = t.kind === 'take' ? [t.result.samples, t.result.sampleRate] : [monoMix(t.channels), t.info.sampleRate];
      return engine.call('spectrogram', { samples, sampleRate, nFft, hop, maxFrames });
    },
    listTracks: () => ({ tracks: tracks.list().map(toTrack) }),
    removeTrack: ({ trackId }) => ({ removed: tracks.remove(trackId) }),
    async render({ jobId, contentId, styleId, preset, region }) {
      const c = tracks.input(contentId, 'content');
      const s = tracks.input(styleId, 'style');
      const result = await engine.render(
        { jobId, content: { name: c.info.name, bytes: c.bytes }, style: { name: s.info.name, bytes: s.bytes }, preset, region },
        (p) => emit('renderProgress', p),
      );
      return toTrack(tracks.addTake(result, region));
    },
    cancelRender: ({ jobId }) => engine.cancel(jobId),
    listPresets: () => ({ builtin: presets.builtin(), user: presets.user(), notices: [...presets.notices] }),
    savePreset: ({ preset, overwrite }) => ({ user: presets.save(preset, overwrite ?? false) }),
    renamePreset: ({ from, to }) => ({ user: presets.rename(from, to) }),
    deletePreset: ({ name }) => presets.delete(name),
    async importPresets() {
      const file = await dialogs.openFile({ title: 'Import presets', filters: JSON_FILTER });
      if (!file) return null;
      const bytes = await files.read(file, MAX_PRESET_FILE_BYTES);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw new GramophoneError('INVALID_INPUT', `"${path.basename(file)}" is not a text (JSON) file.`);
      }
      return presets.importJson(text, path.basename(file));
    },
    async exportPresets({ names }) {
      const body = new TextEncoder().encode(presets.exportJson(names));
      const defaultName = names.length === 1 ? `${names[0]}.json` : 'Gramophone presets.json';
      const chosen = await dialogs.saveFile({ title: 'Export presets', defaultName, filters: JSON_FILTER });
      if (!chosen) return null;
      if (!dialogs.saveAsksBeforeOverwrite && (await files.exists(chosen))) {
        if (!(await dialogs.confirm({ message: `"${path.basename(chosen)}" already exists. Replace it?`, confirmLabel: 'Replace' }))) return null;
      }
      await files.writeAtomic(chosen, body);
      return { path: chosen };
    },
    exportTakes: ({ trackIds, format }) => exportTakes(trackIds.map((id) => tracks.take(id)), format, dialogs, files),
  };
  return { handlers, tracks };
}

/** Every method of the contract, for tests that check each has a handler. */
export const rendererMethods = Object.keys(rendererApi.methods);
