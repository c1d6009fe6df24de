import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DirectoryLockedError, LevelStorage } from '../src/index.js';
import { openLoaded, tempDir } from './helpers.js';

const holder = fileURLToPath(new URL('./hold-lock.ts', import.meta.url));

/** Starts a process that tries to open and hold `dir`; `line` is its first output line. */
async function startHolder(dir: string): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@raft/source', holder, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => ['exited'])])) as [string];
  return { child, line };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}

describe('the data directory claim', () => {
  it('refuses a second open from another process, naming that process', async () => {
    const dir = await tempDir();
    const { child, line } = await startHolder(dir);
    try {
      expect(line).toBe('locked');
      const error = await LevelStorage.open(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DirectoryLockedError);
      expect((error as DirectoryLockedError).pid).toBe(child.pid);
      expect((error as Error).message).toContain(`${dir} is in use by process ${child.pid}`);
    } finally {
      await kill(child);
    }
  });

  it('takes over the claim of a SIGKILLed process, with its data intact', async () => {
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
    try {
      const winners = starts.filter((s) => s.line === 'locked');
      expect(winners).toHaveLength(1);
      for (const loser of starts.filter((s) => s !== winners[0])) expect(loser.line).toBe(`refused ${winners[0]!.child.pid}`);
    } finally {
      for (const { child } of starts) await kill(child);
    }
  });

  it('refuses a second open in the same process until the first is closed', async () => {
    const dir = await tempDir();
    const { storage } = await openLoaded(dir);
    await storage.save({ hardState: { term: 2, vote: 1, commit: 0 } });
    await expect(LevelStorage.open(dir)).rejects.toThrow(/already open in this process/);
    // The refused open must not have disturbed the storage that has the directory.
    await storage.save({ hardState: { term: 3, vote: 1, commit: 0 } });
    await storage.close();
    const again = await openLoaded(dir);
    expect(again.state.hardState).toEqual({ term: 3, vote: 1, commit: 0 });
  });
});
