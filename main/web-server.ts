/**
 * `npm run web`: the workstation in a browser. Starts the engine as a Node child process,
 * serves dist/renderer and the renderer API on 127.0.0.1, prints the URL to open.
 *
 * Options: --port N (default: the port this data folder's server had last time, else any free
 * one; 0 = any free port), --new-token (a new access token instead of the saved one),
 * --data-dir DIR (preset store, session, uploads, port and token), --export-dir DIR (where
 * exports go: the browser has no native save dialog), --memory-budget SIZE (what a render
 * may use, e.g. 4G; passed to the engine), --help.
 */
import { mkdirSync } from 'node:fs';
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
import { chooseIdentity, saveIdentity } from './server-identity';

const USAGE = `Usage: npm run web -- [--port N] [--new-token] [--data-dir DIR] [--export-dir DIR] [--memory-budget SIZE]

Serves the Gramophone workstation to a browser on 127.0.0.1 and prints the URL to open.
The URL (port and token) stays the same across restarts with the same data folder, so an
open tab reconnects by itself.

  --port N              TCP port (default: the one used last time, else a free one; 0 picks a free one)
  --new-token           a new access token: pages opened with the old URL can no longer connect
  --data-dir DIR        where presets, the session and uploads are kept (default ~/.config/gramophone-web)
  --export-dir DIR      where exported stems, presets and sessions go (default ~/Gramophone exports)
  --memory-budget SIZE  memory one render may use, e.g. 4G (default: 60 % of the memory available)
  --help                this text`;

let values: { port?: string; 'new-token'?: boolean; 'data-dir'?: string; 'export-dir'?: string; 'memory-budget'?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string' },
      'new-token': { type: 'boolean' },
      'data-dir': { type: 'string' },
      'export-dir': { type: 'string' },
      'memory-budget': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (e) {
  console.error(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = values.port === undefined ? undefined : Number(values.port);
if (port !== undefined && (!/^\d+$/.test(values.port!) || port > 65535)) {
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
mkdirSync(dataDir, { recursive: true });
const identity = chooseIdentity(dataDir, { port, freshToken: values['new-token'] });
const start = (listenOn: number) => startLocalServer({ port: listenOn, token: identity.token, rendererDir: paths.rendererDir, handlers: shell.handlers, log: (line) => console.log(line) });
let server: Awaited<ReturnType<typeof start>>;
try {
  server = await start(identity.port);
} catch (e) {
  // The saved port taken by another program: any free one, said, rather than no server.
  if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port !== undefined) {
    console.error(`Cannot listen on port ${identity.port}: ${(e as Error).message}`);
    process.exit(1);
  }
  server = await start(0);
  console.log(`Port ${identity.port} (used last time) is taken; serving on ${server.port} instead, so open tabs must be opened again at the new URL.`);
}
saveIdentity(dataDir, { port: server.port, token: server.token });
shell.emitTo(server.emit);
console.log(`Gramophone UI: ${server.url}`);
console.log(`Presets in ${dataDir}; exports go to ${exportDir}`);

// The session is saved before the engine stops, so a restart finds it as it was. One stop
// path: a signal received again (a second Ctrl-C, or one a library raises again) joins the
// stop under way instead of exiting in the middle of its save.
let stopping: Promise<void> | null = null;
const stop = () => {
  stopping ??= shell
    .close()
    .then(() => server.close())
    .then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
