import type { Storage } from '@raft/core';

/**
 * What the module given to the crash harness exports: how to open the adapter's storage in a
 * directory. The harness imports it both in the child it kills and in the test process that
 * reopens the directory afterwards.
 *
 * @example
 * ```ts
 * // test/crash-open.ts
 * import { FileStorage } from '../src/index.js';
 * export const openStorage = (dir: string) => FileStorage.open(dir);
 * ```
 */
export interface CrashOpenModule {
  openStorage(dir: string): Storage | Promise<Storage>;
}

/** Imports a {@link CrashOpenModule} and checks it has what the harness needs. */
export async function importOpenModule(url: string): Promise<(dir: string) => Storage | Promise<Storage>> {
  const mod = (await import(url)) as Partial<CrashOpenModule>;
  if (typeof mod.openStorage !== 'function') {
    throw new Error(`${url} must export a function openStorage(dir: string) returning the storage to crash-test`);
  }
  return (dir) => mod.openStorage!(dir);
}
