import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DirectoryLockedError, FileStorage } from '../src/index.js';
import { openLoaded, tempDir } from './helpers.js';

const holder = fileURLToPath(new URL('./hold-lock.ts', import.meta.url));

/** Starts a process that opens `dir` and holds it; resolves once it has the lock. */
async function startHolder(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@raft/source', holder, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => ['exited'])])) as [string];
  if (line !== 'locked') throw new Error(`the lock holder did not start (${line})`);
  return child;
}

describe('the data directory lock', () => {
  it('refuses a second open from another process, naming that process', async () => {
    const dir = await tempDir();
    const child = await startHolder(dir);
    try {
      const error = await FileStorage.open(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DirectoryLockedError);
      expect((error as DirectoryLockedError).pid).toBe(child.pid);
      expect((error as Error).message).toContain(`in use by process ${child.pid}`);
      expect((error as Error).message).toContain(join(dir, 'LOCK'));
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });

  it('takes over the stale lock of a SIGKILLed process, with its data intact', async () => {
    const dir = await tempDir();
    const child = await startHolder(dir);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await readFile(join(dir, 'LOCK'), 'utf8')).toBe(`${child.pid}\n`);
    const { storage, state } = await openLoaded(dir);
    expect(state.entries.map((e) => e.index)).toEqual([1, 2, 3]);
    expect(state.hardState).toEqual({ term: 1, vote: 1, commit: 1 });
    expect(await readFile(join(dir, 'LOCK'), 'utf8')).toBe(`${process.pid}\n`);
    await storage.close();
  });

  it('refuses a second open in the same process until the first is closed', async () => {
    const dir = await tempDir();
    const { storage } = await openLoaded(dir);
    await expect(FileStorage.open(dir)).rejects.toThrow(/already open in this process/);
    await storage.close();
    const again = await openLoaded(dir);
    expect(again.state.entries).toEqual([]);
  });
});
