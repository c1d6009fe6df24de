import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '@raft/storage-kit';
import { DirectoryLockedError } from './errors.js';
import { LOCK_FILE } from './layout.js';

/**
 * An exclusive lock on a data directory: a `LOCK` file holding the owner's pid. It is created by
 * hard-linking a fully written pid file into place, which fails if the lock exists, so the lock is
 * never seen empty or half-written. A lock whose pid no longer runs (its owner crashed or was
 * SIGKILLed) is stale and taken over. Limits: the pid check is per host (a directory on a shared
 * network filesystem needs a lock of its own), and two processes taking over the same stale lock
 * at the same instant could both succeed.
 */
export class DirectoryLock {
  private constructor(private readonly path: string) {}

  /** @throws DirectoryLockedError naming the process that holds the lock. */
  static async acquire(dir: string): Promise<DirectoryLock> {
    const path = join(dir, LOCK_FILE);
    const pending = join(dir, `${LOCK_FILE}.${process.pid}.pending`);
    await writeFile(pending, `${process.pid}\n`);
    try {
      // A stale lock is removed and taking the lock retried; a live owner ends the attempt at once.
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await link(pending, path);
          return new DirectoryLock(path);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
        const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
        if (Number.isSafeInteger(owner) && owner > 0 && isProcessAlive(owner)) throw new DirectoryLockedError(dir, owner, { storage: 'FileStorage', pidFile: path });
        await unlink(path).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e;
        });
      }
      throw new Error(`could not lock ${dir}: ${path} keeps reappearing; is another process starting on this directory?`);
    } finally {
      await unlink(pending);
    }
  }

  /**
   * Releases the lock — only if it is still ours: if an operator deleted it and another process
   * took the directory since, removing that process's lock would let a third one in.
   */
  async release(): Promise<void> {
    const owner = await readFile(this.path, 'utf8').catch(() => '');
    if (Number.parseInt(owner, 10) === process.pid) await unlink(this.path);
  }
}
