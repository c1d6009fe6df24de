import { defineConfig } from 'vitest/config';

/**
 * Workspace packages export `src/*.ts` under the `@raft/source` condition, so tests run against
 * source without a build step. Published consumers never see that condition and get `dist/`.
 * (Plain JS so that vitest can load it from node_modules without transpiling.)
 */
const conditions = ['@raft/source', 'import', 'module', 'node', 'default'];

/**
 * @param {{ testTimeout?: number, fileParallelism?: boolean }} [options]
 */
export function raftVitestConfig(options = {}) {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@raft/source'] } },
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 20_000,
      hookTimeout: 30_000,
      fileParallelism: options.fileParallelism ?? true,
      maxWorkers: 2,
      reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    },
  });
}
