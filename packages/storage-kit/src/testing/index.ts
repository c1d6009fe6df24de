/**
 * Test suites for storage adapters built on `@raft/storage-kit`, run from the adapter's own vitest
 * files. Needs `vitest` and `@raft/conformance` (the suites open the adapter through the same
 * module as `storageCrashSuite`), and `tsx` resolvable from the working directory: the processes
 * that hold a directory run `node --import tsx --conditions=@raft/source`.
 *
 * @example
 * ```ts
 * // test/lock.test.ts; crash-open.ts exports: export const openStorage = (dir: string) => MyStorage.open(dir);
 * import { directoryLockSuite } from '@raft/storage-kit/testing';
 *
 * directoryLockSuite('MyStorage', { module: new URL('./crash-open.ts', import.meta.url) });
 * ```
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { PersistedState, Storage } from '@raft/core';
import type { CrashOpenModule } from '@raft/conformance/storage-suite';
import { DirectoryLockedError } from '../errors.js';

/** Options of {@link directoryLockSuite}. */
export interface DirectoryLockSuiteOptions {
  /**
   * A module exporting `openStorage(dir)` (a `CrashOpenModule`, as `storageCrashSuite` takes):
   * imported by the suite and by the processes that hold a directory.
   */
  readonly module: URL | string;
}

const holderExtension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const holder = fileURLToPath(new URL(`./hold-lock${holderExtension}`, import.meta.url));

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}

/**
 * Registers the directory lock cases (vitest `describe`/`it`) for an adapter: a second open, from
 * another process or from this one, fails with a {@link DirectoryLockedError} naming the owner; a
 * SIGKILLed owner's lock is taken over with its data intact; of several processes starting at once
 * on one directory, exactly one gets it.
 *
 * @param name - shown in the test report.
 */
export function directoryLockSuite(name: string, options: DirectoryLockSuiteOptions): void {
  const moduleUrl = String(options.module);
  describe(`${name} — directory lock`, () => {
    const dirs: string[] = [];
    const opened: Storage[] = [];
    const holders: ChildProcess[] = [];

    afterEach(async () => {
      for (const child of holders.splice(0)) await kill(child);
      for (const storage of opened.splice(0)) await storage.close();
      for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
    });

    const tempDir = async (): Promise<string> => {
      const dir = await mkdtemp(join(tmpdir(), 'raft-lock-suite-'));
      dirs.push(dir);
      return dir;
    };

    /** Opens `dir` in this process; closed after the test (closing twice is harmless). */
    const open = async (dir: string): Promise<Storage> => {
      const { openStorage } = (await import(moduleUrl)) as CrashOpenModule;
      const storage = await openStorage(dir);
      opened.push(storage);
      return storage;
    };

    const openLoaded = async (dir: string): Promise<{ storage: Storage; state: PersistedState }> => {
      const storage = await open(dir);
      return { storage, state: await storage.load() };
    };

    /** Starts a process that tries to open and hold `dir`; `line` is its first output line. */
    const startHolder = async (dir: string): Promise<{ child: ChildProcess; line: string }> => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@raft/source', holder, moduleUrl, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      holders.push(child);
      const lines = createInterface({ input: child.stdout! });
      const [line] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => ['exited'])])) as [string];
      return { child, line };
    };

    it('refuses a second open from another process, naming that process', async () => {
      const dir = await tempDir();
      const { child, line } = await startHolder(dir);
      expect(line).toBe('locked');
      const error = await open(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DirectoryLockedError);
      expect((error as DirectoryLockedError).pid).toBe(child.pid);
      expect((error as Error).message).toContain(`${dir} is in use by process ${child.pid}`);
    });

    it('takes over the lock of a SIGKILLed process, with its data intact', async () => {
      const dir = await tempDir();
      const { child, line } = await startHolder(dir);
      expect(line).toBe('locked');
      await kill(child);
      const { state } = await openLoaded(dir);
      expect(state.entries.map((e) => e.index)).toEqual([1, 2, 3]);
      expect(state.hardState).toEqual({ term: 1, vote: 1, commit: 1 });
    });

    it('lets exactly one of several processes starting at once have the directory', async () => {
      const dir = await tempDir();
      const starts = await Promise.all([startHolder(dir), startHolder(dir), startHolder(dir)]);
      const winners = starts.filter((s) => s.line === 'locked');
      expect(winners).toHaveLength(1);
      for (const loser of starts.filter((s) => s !== winners[0])) expect(loser.line).toBe(`refused ${winners[0]!.child.pid}`);
    });

    it('refuses a second open in the same process until the first is closed', async () => {
      const dir = await tempDir();
      const { storage } = await openLoaded(dir);
      await storage.save({ hardState: { term: 2, vote: 1, commit: 0 } });
      const error = await open(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DirectoryLockedError);
      expect((error as Error).message).toMatch(/already open in this process/);
      // The refused open must not have disturbed the storage that has the directory.
      await storage.save({ hardState: { term: 3, vote: 1, commit: 0 } });
      await storage.close();
      const again = await openLoaded(dir);
      expect(again.state.hardState).toEqual({ term: 3, vote: 1, commit: 0 });
    });
  });
}
