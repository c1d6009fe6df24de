import { DirectoryLockedError } from './errors.js';
import { decodePid, encodePid } from './records.js';
import type { Tables } from './tables.js';

/** Whether process `pid` exists (a signal-0 probe; EPERM means it exists under another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims the data directory for this process: the `owner` record holds the pid of the process that
 * has it open. LMDB lets many processes open one environment, so this is what keeps a second node
 * out. The check and the claim run in one write transaction, under LMDB's cross-process writer
 * lock, so two processes starting at once cannot both succeed. The record of a process that died
 * without closing (SIGKILL, power cut) names a pid that no longer runs, and is taken over.
 *
 * @throws DirectoryLockedError naming the live owner (which may be this process).
 * @throws BadRecord if the owner record is damaged.
 */
export function claimDirectory(tables: Tables, dir: string): void {
  tables.root.transactionSync(() => {
    const stored = tables.meta.get('owner');
    const owner = stored === undefined ? undefined : decodePid(stored);
    if (owner !== undefined && (owner === process.pid || isAlive(owner))) throw new DirectoryLockedError(dir, owner);
    tables.meta.putSync('owner', encodePid(process.pid));
  });
}

/** Gives the directory up (no other process can have claimed it while this one runs). */
export async function releaseDirectory(tables: Tables): Promise<void> {
  await tables.root.transaction(() => tables.meta.removeSync('owner'));
}
