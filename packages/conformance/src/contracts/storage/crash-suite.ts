import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCrashCycles } from './crash-harness.js';

/** Options of {@link storageCrashSuite}. */
export interface CrashSuiteOptions {
  /** Absolute path or file URL of a module exporting `openStorage(dir)` (see `CrashOpenModule`). */
  readonly module: string | URL;
  /** SIGKILLs per run. Default 50 (the CI minimum). */
  readonly kills?: number;
  /** Default: `RAFT_CRASH_SEED` from the environment, else 1. A failure names its seed. */
  readonly seed?: number;
  /** Saves kept in flight at once; see `CrashHarnessOptions.concurrency`. Default 1. */
  readonly concurrency?: number;
  /** Test timeout. Default 10 minutes: a cycle costs a process start, ~0.5 s. */
  readonly timeoutMs?: number;
}

/**
 * Registers the crash-consistency test (see {@link runCrashCycles}) for an adapter: a child
 * process writes through the adapter and is SIGKILLed `kills` times at seeded random moments; after
 * each kill the directory is reopened here and checked. The child runs with
 * `node --import tsx --conditions=@raft/source`, so `tsx` must be resolvable from the working
 * directory and the module may be TypeScript.
 */
export function storageCrashSuite(name: string, options: CrashSuiteOptions): void {
  const kills = options.kills ?? 50;
  const seed = options.seed ?? Number(process.env['RAFT_CRASH_SEED'] ?? 1);
  it(
    `${name} — survives ${kills} SIGKILLs with every acknowledged write intact (seed ${seed}${options.concurrency ? `, ${options.concurrency} saves in flight` : ''})`,
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'raft-storage-crash-'));
      try {
        const report = await runCrashCycles({ module: options.module, dir, kills, seed, concurrency: options.concurrency });
        expect(report.kills).toBe(kills);
        expect(report.acknowledged, 'the children acknowledged no operation at all').toBeGreaterThan(0);
        console.info(
          `${name}: ${report.kills} SIGKILLs, ${report.acknowledged} operations acknowledged, ` +
            `${report.inFlightSurvived} in-flight operations found durable after the kill, log at index ${report.lastIndex}`,
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    options.timeoutMs ?? 600_000,
  );
}
