import { configDefaults, defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter';

/** Every test file. */
export const INCLUDE = ['test/**/*.test.ts', 'test/**/*.test.tsx'];
/**
 * The browser files: each drives Chromium against a web server whose engine runs below normal
 * priority (as in the app, so the page's frames never wait behind a render). Beside another
 * test file at normal priority that engine would get a tenth of a core, so they run after
 * the rest, one at a time: the machine as a musician's, a page and its engine.
 */
const BROWSER = ['test/e2e/**/*.test.ts'];

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  test: {
    // The built bundles the process-level tests run (test/global-setup.ts builds when stale).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', new SummaryReporter()],
    projects: [
      // Two cores: heavy DSP suites contend badly when more than two files run at once.
      { extends: true, test: { name: 'unit', include: INCLUDE, exclude: [...configDefaults.exclude, ...BROWSER], maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'browser', include: BROWSER, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
