/**
 * The preset store's backing file through `conf`, the library under electron-store, for
 * places without Electron (the local web server, tests). Same file format and atomic
 * writes as electron-store; Electron uses electron-store itself.
 */
import Conf from 'conf';
import type { OpenBackingStore } from './preset-store';
import { APP_VERSION } from './app-version';

/** Open presets with conf at `projectVersion` (defaults to this build's version). */
export const confBackingStore =
  (projectVersion = APP_VERSION): OpenBackingStore =>
  (o) =>
    new Conf<Record<string, unknown>>({
      cwd: o.cwd,
      configName: o.name,
      projectName: 'gramophone',
      projectVersion,
      migrations: o.migrations as never,
      clearInvalidConfig: false,
      configFileMode: 0o600,
    });
