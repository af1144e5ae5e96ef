/**
 * `npm run web`: the workstation in a browser. Starts the engine as a Node child process,
 * serves dist/renderer and the renderer API on 127.0.0.1, prints the URL to open.
 *
 * Options: --port N (0 = any free port, the default), --data-dir DIR (preset store and
 * uploads), --export-dir DIR (where exports go: the browser has no native save dialog),
 * --memory-budget SIZE (what a render may use, e.g. 4G; passed to the engine).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createShell } from './shell';
import { startLocalServer } from './local-server';
import { distPaths } from './app-files';
import { nodeEngineLauncher } from './node-engine-launcher';
import { HeadlessDialogs } from './dialogs';
import { nodeFileAccess } from './file-access';
import { confBackingStore } from './conf-store';
import { parseByteSize } from '../common/units';
import { MEMORY_BUDGET_ENV } from '../common/engine-api';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    'export-dir': { type: 'string' },
    'memory-budget': { type: 'string' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a whole number from 0 to 65535, not "${values.port}"`);
  process.exit(2);
}
const budget = values['memory-budget'];
if (budget !== undefined && parseByteSize(budget) === null) {
  console.error(`--memory-budget must be a size such as 4G or 1500M, not "${budget}"`);
  process.exit(2);
}
const home = os.homedir();
const dataDir = path.resolve(values['data-dir'] ?? path.join(home, '.config', 'gramophone-web'));
const exportDir = path.resolve(values['export-dir'] ?? path.join(home, 'Gramophone exports'));
const paths = distPaths(path.dirname(fileURLToPath(import.meta.url)));

const shell = createShell({
  shell: 'web',
  launch: nodeEngineLauncher({ entry: paths.engineEntry, env: budget === undefined ? process.env : { ...process.env, [MEMORY_BUDGET_ENV]: budget } }),
  presetsDir: dataDir,
  openStore: confBackingStore(),
  dialogs: new HeadlessDialogs(exportDir),
  files: nodeFileAccess(),
  demoDir: paths.demoDir,
  log: (line) => console.log(line),
});
const server = await startLocalServer({ port, rendererDir: paths.rendererDir, handlers: shell.handlers, log: (line) => console.log(line) });
shell.emitTo(server.emit);
console.log(`Gramophone UI: ${server.url}`);
console.log(`Presets in ${dataDir}; exports go to ${exportDir}`);

const stop = () => {
  shell.dispose();
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
