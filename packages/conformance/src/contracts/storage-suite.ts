/**
 * The storage contract suites: every {@link Storage} adapter, ours or a user's, runs the same
 * cases from its own vitest file.
 *
 * - {@link storageContractSuite}: the contract, case by case, plus a seeded random walk against a
 *   model and (unless `reopen: false`) durability across close and reopen.
 * - {@link storageCrashSuite}: a child process writing through the adapter is SIGKILLed again and
 *   again; every acknowledged write must come back byte for byte. Needs `tsx` resolvable from the
 *   working directory (the child runs `node --import tsx --conditions=@raft/source`).
 * - {@link storageCorruptionSuite}: seeded flipped bytes and cut files must be detected, or read
 *   back exactly.
 * - {@link benchmarkStorage}: the storage benchmark, as ratios to the disk's own fdatasync rate.
 *
 * @example
 * ```ts
 * // test/contract.test.ts of an adapter
 * import { storageContractSuite, storageCorruptionSuite, storageCrashSuite } from '@raft/conformance/storage-suite';
 * import { MyStorage } from '../src/index.js';
 *
 * storageContractSuite('my-storage', { open: (dir) => MyStorage.open(dir) });
 * storageCorruptionSuite('my-storage', { open: (dir) => MyStorage.open(dir) });
 * // crash-open.ts exports: export const openStorage = (dir: string) => MyStorage.open(dir);
 * storageCrashSuite('my-storage', { module: new URL('./crash-open.ts', import.meta.url) });
 * ```
 *
 * @example
 * ```ts
 * // bench/append.ts of an adapter, run by `pnpm bench`
 * import { benchmarkStorage, formatStorageBench } from '@raft/conformance/storage-suite';
 * console.log(formatStorageBench('my-storage', await benchmarkStorage({ open: (dir) => MyStorage.open(dir) })));
 * ```
 *
 * @module
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { Storage } from '@raft/core';
import { durabilityCases } from './storage/durability-cases.js';
import type { StorageFactory } from './storage/factory.js';
import { logCases } from './storage/log-cases.js';
import { modelCases } from './storage/model-cases.js';
import { snapshotCases } from './storage/snapshot-cases.js';
import { Workspace } from './storage/workspace.js';

export type { StorageFactory } from './storage/factory.js';
export { storageCorruptionSuite, type CorruptionSuiteOptions } from './storage/corruption-suite.js';
export {
  storageCrashSuite,
  type CrashSuiteOptions,
} from './storage/crash-suite.js';
export { runCrashCycles, type CrashHarnessOptions, type CrashReport, type CrashOpenModule } from './storage/crash-harness.js';
export {
  benchmarkStorage,
  formatStorageBench,
  measureRawFsync,
  type StorageBenchOptions,
  type StorageBenchResult,
  type AppendResult,
  type RawFsync,
} from './storage/bench.js';
export { testEntry, testEntries, isTestEntry, testSnapshotMeta, testSnapshotData, inChunks, collect } from './storage/fixtures.js';

/**
 * Registers the storage contract cases (vitest `describe`/`it`) for an adapter: a new storage,
 * append, overwrite of a conflicting suffix, term lookup and entry ranges (with `CompactedError` and
 * `RangeError` where the contract says), hard state, streamed snapshots, installSnapshot,
 * compaction, error cases, a seeded random walk against a model, and — unless
 * `factory.reopen === false` — durability across close and reopen.
 *
 * Every test gets its own fresh directory and closes whatever it opened.
 *
 * @param name - shown in the test report.
 * @param factory - opens the storage under test in a directory.
 */
export function storageContractSuite(name: string, factory: StorageFactory): void {
  const durable = factory.reopen !== false;
  describe(`${name} — Storage contract`, () => {
    let workspace: Workspace | undefined;
    const current = (): Workspace => {
      if (!workspace) throw new Error('the storage suite workspace is used outside a test');
      return workspace;
    };
    beforeEach(() => {
      workspace = new Workspace(factory);
    });
    afterEach(async () => {
      await workspace?.dispose();
      workspace = undefined;
    });

    logCases(current, durable);
    snapshotCases(current);
    modelCases(current, durable);
    describe.skipIf(!durable)('durability', () => durabilityCases(current));
  });
}

/** Re-exported so adapter authors can type their factory without importing `@raft/core` too. */
export type { Storage };
