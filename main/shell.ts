/**
 * Composes the shell's services (engine host, preset store, tracks, session) and the renderer API's
 * handlers, one file per part under `handlers/`, from the pieces that differ between
 * Electron and the local server: how the engine is launched, how presets are stored, which
 * dialogs exist and where events go.
 */
import os from 'node:os';
import path from 'node:path';
import type { ApiHandlers, EventData, EventName } from '../common/rpc';
import type { RendererSpec, ShellKind } from '../common/contract';
import { EngineHost, type EngineLauncher, type EngineHostOptions } from './engine-host';
import { PresetStore, type OpenBackingStore } from './preset-store';
import { TrackStore } from './track-store';
import { RenderPool } from './render-pool';
import { SessionStore } from './session-store';
import type { Dialogs } from './dialogs';
import type { FileAccess } from './file-access';
import { appHandlers } from './handlers/app';
import { trackHandlers } from './handlers/tracks';
import { uploadHandlers } from './handlers/uploads';
import { UploadStore } from './upload-store';
import { renderHandlers } from './handlers/renders';
import { presetHandlers } from './handlers/presets';
import { exportHandlers } from './handlers/exports';
import { sessionHandlers } from './handlers/session';
import { trackNotes } from './track-notes';
import { batchFolderHandlers } from './handlers/batch-folders';

/** Sends a renderer API event to the page(s). */
export type RendererEmit = <E extends EventName<RendererSpec>>(event: E, data: EventData<RendererSpec, E>) => void;

export interface ShellOptions {
  shell: ShellKind;
  launch: EngineLauncher;
  /** The app's data folder: user presets, and the session in its `session/` folder. */
  presetsDir: string;
  openStore: OpenBackingStore;
  dialogs: Dialogs;
  files: FileAccess;
  /** Folder holding the demo pair `content.wav` and `style.wav`. */
  demoDir: string;
  engineOptions?: Partial<EngineHostOptions>;
  /** How many renders may run at once, each in its own engine process (default: one per core). */
  renderProcesses?: number;
  log?: (line: string) => void;
}

/** A composed shell. Set `emitTo` once the transport exists; events before that are dropped. */
export function createShell(o: ShellOptions) {
  let sink: RendererEmit | null = null;
  const emit: RendererEmit = (event, data) => sink?.(event, data);
  const engine = new EngineHost({
    launch: o.launch,
    onStatus: (s) => {
      if (s.state === 'crashed' || s.state === 'failed') o.log?.(`engine ${s.state}: ${s.message ?? ''}`);
      emit('engineStatus', s);
    },
    onLog: (l) => o.log?.(`engine ${l.level}: ${l.message}`),
    onProgress: (p) => emit('renderProgress', p),
    onChunk: (c) => emit('renderChunk', c),
    ...o.engineOptions,
  });
  // Renders that overlap (a grid of takes) run on more engine processes; their status is not
  // the UI's engine indicator, which follows the first.
  const renderPool = new RenderPool(
    engine,
    () =>
      new EngineHost({
        launch: o.launch,
        onLog: (l) => o.log?.(`engine ${l.level}: ${l.message}`),
        onProgress: (p) => emit('renderProgress', p),
        onChunk: (c) => emit('renderChunk', c),
        ...o.engineOptions,
      }),
    Math.max(1, o.renderProcesses ?? os.availableParallelism()),
  );
  const presets = new PresetStore({ dir: o.presetsDir, open: o.openStore });
  for (const n of presets.notices) o.log?.(`presets: ${n}`);
  // Uploads live beside the presets, in the app's data folder; a file goes when its track does.
  const uploads = new UploadStore({ dir: path.join(o.presetsDir, 'uploads') });
  const tracks = new TrackStore((dropped) => {
    if ('path' in dropped.file) uploads.discard(dropped.file.path);
  });
  const session = new SessionStore({ dir: path.join(o.presetsDir, 'session'), engine, tracks });
  void session.restored.then(() => session.notices.forEach((n) => o.log?.(`session: ${n}`)));
  const { dialogs, files } = o;
  const notes = trackNotes(engine, tracks);
  const handlers: ApiHandlers<RendererSpec> = {
    ...appHandlers({ shell: o.shell, engine, renderSlots: renderPool.size }),
    ...trackHandlers({ engine, tracks, dialogs, files, demoDir: o.demoDir, restored: session.restored, notes }),
    ...uploadHandlers({ engine, tracks, uploads }),
    ...renderHandlers({ engine: renderPool, tracks }),
    ...presetHandlers({ presets, dialogs, files }),
    ...exportHandlers({ engine, tracks, dialogs, files, notes }),
    ...sessionHandlers({ session, tracks, dialogs, files, uploads }),
    ...batchFolderHandlers({ engine, tracks, dialogs }),
  };
  let closing: Promise<void> | null = null;
  const dispose = () => {
    sink = null;
    renderPool.dispose();
    engine.dispose();
    void uploads.dispose();
  };
  return {
    engine,
    presets,
    handlers,
    tracks,
    session,
    emitTo(target: RendererEmit) {
      sink = target;
    },
    /**
     * Save the session, then stop (quitting the app or the server). One stop however often it
     * is asked for: a second signal waits for the first stop instead of racing its save.
     */
    close(): Promise<void> {
      closing ??= session
        .close()
        .catch((e: unknown) => o.log?.(`session: ${e instanceof Error ? e.message : String(e)}`))
        .then(dispose);
      return closing;
    },
    dispose,
  };
}
