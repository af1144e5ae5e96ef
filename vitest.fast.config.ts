/**
 * The fast lane (`npm run test:fast`): unit files for the edit–test loop. No build, no
 * browser, no child-process servers or engines, no fuzzing or memory measurements, no
 * whole renders. `npm test` runs everything, these included.
 */
import { configDefaults, defineConfig } from 'vitest/config';
import base, { INCLUDE } from './vitest.config';

/** Files that build or spawn programs, drive a browser, or render and measure for seconds. */
const SLOW = [
  'test/e2e/**',
  'test/electron/**',
  'test/cli/batch/batch-cli.test.ts',
  'test/cli/batch/queue.test.ts',
  'test/cli/cli.test.ts',
  'test/cli/cli-m4a.test.ts',
  'test/cli/cli-newcomer.test.ts',
  'test/main/engine-host-fake.test.ts',
  'test/main/read-only-disk.test.ts',
  'test/main/engine-host-real.test.ts',
  'test/main/local-server*.test.ts',
  'test/main/uploads.test.ts',
  'test/main/web-server-cli.test.ts',
  'test/main/stem-export.test.ts',
  'test/main/electronegativity.test.ts',
  'test/main/preset-store.test.ts',
  'test/main/packaging.test.ts',
  'test/engine/engine-process.test.ts',
  'test/engine/golden-take.test.ts',
  'test/engine/v1-takes.test.ts',
  'test/engine/rests.test.ts',
  'test/engine/render/**',
  'test/engine/audio/formats.test.ts',
  'test/engine/audio/hostile.test.ts',
  'test/engine/audio/streaming-memory.test.ts',
  'test/engine/optim/style-transfer.test.ts',
  'test/engine/objective/onnx-vs-tfjs.test.ts',
  'test/engine/objective/onnx-determinism.test.ts',
  'test/engine/objective/tfjs-*.test.ts',
  'test/engine/objective/modules.test.ts',
  'test/engine/objective/notes/timbre-transfer.test.ts',
  'test/engine/objective/notes/polyphony.test.ts',
  'test/engine/dsp/griffin-lim.test.ts',
  'test/bench/bench.test.ts',
  'test/bench/quality/corpus.test.ts',
  'test/bench/quality/systems.test.ts',
];

// No global set-up: nothing here reads dist/.
// One project: the browser files are all slow, so nothing is left to order.
export default defineConfig({ ...base, test: { ...base.test, projects: undefined, include: INCLUDE, maxWorkers: 2, exclude: [...configDefaults.exclude, ...SLOW], globalSetup: [] } });
