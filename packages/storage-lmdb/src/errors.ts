/**
 * What an operator should do when a data directory is damaged: the node must not start from it,
 * and the safe ways back.
 */
const CORRUPTION_REMEDY =
  'This node cannot safely start from this data directory. Restore the directory from a backup, or ' +
  'move it aside and rejoin this node to the cluster as a new, empty member so it catches up from ' +
  'the leader. Do not edit the database by hand: entries it acknowledged would be lost.';

/**
 * The database holds something this adapter did not write: a record whose checksum does not match,
 * a gap in the log, a snapshot missing chunks. Names the record and says what the operator can do.
 */
export class StorageCorruptionError extends Error {
  override readonly name = 'StorageCorruptionError';
  constructor(
    /** The data directory. */
    readonly dir: string,
    /** Which record is damaged, e.g. `entry 42` or `hard state`. */
    readonly record: string,
    /** What is wrong. */
    readonly problem: string,
  ) {
    super(`${dir}: ${record}: ${problem}. ${CORRUPTION_REMEDY}`);
  }
}

/** Another process (or another LmdbStorage in this one) has the data directory open. */
export class DirectoryLockedError extends Error {
  override readonly name = 'DirectoryLockedError';
  constructor(
    /** The data directory. */
    readonly dir: string,
    /** Process id of the owner. */
    readonly pid: number,
  ) {
    super(
      pid === process.pid
        ? `data directory ${dir} is already open in this process (pid ${pid}); close the other LmdbStorage first`
        : `data directory ${dir} is in use by process ${pid}; stop that process, or give this node its own directory. ` +
            `The claim is released when process ${pid} exits, however it exits.`,
    );
  }
}

/**
 * LMDB failed to open the directory or to commit a write (I/O error, disk full, permissions). A
 * failed commit is rolled back by LMDB, but the node already counted on it, so the storage refuses
 * every further call; restart the node and it reads back exactly what is durable.
 */
export class StorageFailedError extends Error {
  override readonly name = 'StorageFailedError';
  constructor(dir: string, action: string, cause: unknown) {
    super(
      `${action} in ${dir} failed (${(cause as Error)?.message ?? String(cause)}); fix the disk (space, permissions, ` +
        'hardware) and restart the node: it reads back exactly what was durable.',
      { cause },
    );
  }
}
