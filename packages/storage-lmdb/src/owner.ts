import { DirectoryLockedError, decodeU32, encodeU32, isProcessAlive, type DirectoryLock } from '@raft/storage-kit';
import type { Tables } from './tables.js';

/** How the owner record keeps the directory to one process, for a {@link DirectoryLockedError}. */
const lock = (dir: string): DirectoryLock => ({ storage: 'LmdbStorage', releasedOnExit: `Its claim (the owner record in ${dir}/data.mdb)` });

/**
 * Directories open in this process. The owner record alone cannot tell a directory still open here
 * from one whose release failed (a failing disk) before it was opened again in the same process.
 */
const openHere = new Set<string>();

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
  if (openHere.has(dir)) throw new DirectoryLockedError(dir, process.pid, lock(dir));
  tables.root.transactionSync(() => {
    const stored = tables.meta.get('owner');
    const owner = stored === undefined ? undefined : decodeU32(stored);
    if (owner !== undefined && owner !== process.pid && isProcessAlive(owner)) throw new DirectoryLockedError(dir, owner, lock(dir));
    tables.meta.putSync('owner', encodeU32(process.pid));
  });
  openHere.add(dir);
}

/**
 * Gives the directory up. With `durably` false (the disk is known to fail) the owner record stays,
 * and is taken over by the next open in this process or once this process exits.
 */
export async function releaseDirectory(tables: Tables, dir: string, durably: boolean): Promise<void> {
  openHere.delete(dir);
  if (durably) await tables.root.transaction(() => tables.meta.removeSync('owner'));
}
