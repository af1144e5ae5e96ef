import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter';

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The built bundles the process-level tests run (test/global-setup.ts builds when stale).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: heavy DSP suites contend badly when more than two files run at once.
    maxWorkers: 2,
    reporters: ['default', new SummaryReporter()],
  },
});
