import { readdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageCorruptionError, fileSize, isMarkedInUse, type InUseMarker } from '@raft/storage-kit';

/**
 * Created once the first write that stores a record is durable: from then on LevelDB's `CURRENT`
 * file must exist and the database must not be empty.
 */
export const IN_USE: InUseMarker = {
  name: 'RAFT-STORAGE-LEVEL',
  text: 'This directory holds a Raft log and hard state in LevelDB. Never delete or edit its files.\n',
};

/**
 * Whether the directory holds acknowledged writes. LevelDB, told to create a missing database, silently
 * starts a new, empty one when `CURRENT` is gone — a node that had voted would forget its vote —
 * so in a directory that was in use a missing `CURRENT` is damage, and LevelDB is not allowed to
 * create anything.
 *
 * @throws StorageCorruptionError if `CURRENT` is missing or empty in a directory that was in use.
 */
export async function wasInUse(dir: string): Promise<boolean> {
  if (!(await isMarkedInUse(dir, IN_USE))) return false;
  const current = join(dir, 'CURRENT');
  if (!(await fileSize(current))) throw new StorageCorruptionError(dir, current, "missing or empty (it names LevelDB's manifest), but this directory was in use");
  return true;
}

/**
 * The name of LevelDB's newest log file (`NNNNNN.log`; numbers grow, zero-padded to at least six
 * digits), read synchronously: the directory holds a few dozen names, and the check runs after
 * every write.
 */
export function newestLog(dir: string): string | undefined {
  let newest: string | undefined;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.log') || !/^\d+\.log$/.test(name)) continue;
    if (newest === undefined || name.length > newest.length || (name.length === newest.length && name > newest)) newest = name;
  }
  return newest;
}

/**
 * The process holding LevelDB's lock on `dir/LOCK` (an fcntl lock), found in `/proc/locks`, or
 * undefined where that cannot be read (not Linux) or the lock is gone.
 */
export async function lockOwner(dir: string): Promise<number | undefined> {
  try {
    const { ino, dev } = await stat(join(dir, 'LOCK'));
    // st_dev in Linux's user-space encoding; /proc/locks prints major:minor in hex, then the inode.
    const major = Math.floor(dev / 256) % 4096;
    const minor = (dev % 256) + (Math.floor(dev / 4096) & 0xfff00);
    const id = `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}:${ino}`;
    const locks = await readFile('/proc/locks', 'utf8');
    for (const line of locks.split('\n')) {
      // e.g. "1: POSIX  ADVISORY  WRITE 12345 08:01:1234567 0 EOF"
      const fields = line.trim().split(/\s+/);
      const pid = Number(fields[4]);
      if (fields[1] === 'POSIX' && fields[5] === id && Number.isSafeInteger(pid)) return pid;
    }
  } catch {
    // No /proc: the error then names no process.
  }
  return undefined;
}
