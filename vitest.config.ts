import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (p: string) => fileURLToPath(new URL(`./source/${p}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Model files written by tests (in temp directories) import 'fastedgy',
    // as a user's would; here it is this source tree.
    alias: [
      { find: /^fastedgy$/, replacement: source('index.ts') },
      { find: /^fastedgy\/migrations$/, replacement: source('migrations.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file gets its own databases; two cores, so two workers.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
