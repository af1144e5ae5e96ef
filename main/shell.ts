/**
 * Composes the shell's services (engine host, preset store, tracks, handlers) from the
 * pieces that differ between Electron and the local server: how the engine is launched,
 * how presets are stored, which dialogs exist and where events go.
 */
import { EngineHost, type EngineLauncher, type EngineHostOptions } from './engine-host';
import { PresetStore, type OpenBackingStore } from './preset-store';
import { createHandlers, type RendererEmit } from './handlers';
import type { Dialogs } from './dialogs';
import type { FileAccess } from './file-access';

export interface ShellOptions {
  shell: 'electron' | 'web';
  launch: EngineLauncher;
  presetsDir: string;
  openStore: OpenBackingStore;
  dialogs: Dialogs;
  files: FileAccess;
  demoDir: string;
  engineOptions?: Partial<EngineHostOptions>;
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
    ...o.engineOptions,
  });
  const presets = new PresetStore({ dir: o.presetsDir, open: o.openStore });
  for (const n of presets.notices) o.log?.(`presets: ${n}`);
  const { handlers, tracks } = createHandlers({ shell: o.shell, engine, presets, dialogs: o.dialogs, files: o.files, demoDir: o.demoDir, emit });
  return {
    engine,
    presets,
    handlers,
    tracks,
    emitTo(target: RendererEmit) {
      sink = target;
    },
    dispose() {
      sink = null;
      engine.dispose();
    },
  };
}
export type Shell = ReturnType<typeof createShell>;
