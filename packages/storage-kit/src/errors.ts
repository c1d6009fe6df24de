/**
 * What an operator should do when a data directory is damaged: the node must not start from it,
 * and the safe ways back.
 */
const CORRUPTION_REMEDY =
  'This node cannot safely start from this data directory. Restore the directory from a backup, or ' +
  'move it aside and rejoin this node to the cluster as a new, empty member so it catches up from ' +
  'the leader. Do not edit, truncate or delete its files by hand: entries it acknowledged would be lost.';

/**
 * The data directory is damaged in a way the storage must not repair on its own: a checksum that
 * does not match, a gap in the log, a missing file or snapshot chunk. It names the place — a file
 * and byte offset, or a record of the engine's database — and says what the operator can do.
 * Every `@raft/storage-*` adapter throws this one class.
 *
 * @example
 * ```ts
 * try {
 *   await storage.load();
 * } catch (e) {
 *   if (e instanceof StorageCorruptionError) alertOperator(e.message); // whichever adapter threw it
 *   throw e;
 * }
 * ```
 */
export class StorageCorruptionError extends Error {
  override readonly name = 'StorageCorruptionError';
  /** Byte offset of the damage in {@link StorageCorruptionError.file}, when it has one. */
  readonly offset: number | undefined;
  /** Which record of the engine's database is damaged, e.g. `entry 42` or `hardState record`, when the damage is in one. */
  readonly record: string | undefined;

  /**
   * @param file - the damaged file, or the data directory when no one file is to blame (a missing
   *   file, a record inside an engine's database).
   * @param at - where in `file`: a byte offset (a number), or the name of the damaged record (a
   *   string); undefined for the file as a whole.
   * @param problem - what is wrong.
   */
  constructor(
    /** The damaged file, or the data directory when no one file is to blame. */
    readonly file: string,
    at: number | string | undefined,
    /** What is wrong. */
    readonly problem: string,
  ) {
    super(`${file}${typeof at === 'number' ? ` at byte ${at}` : at === undefined ? '' : `: ${at}`}: ${problem}. ${CORRUPTION_REMEDY}`);
    this.offset = typeof at === 'number' ? at : undefined;
    this.record = typeof at === 'string' ? at : undefined;
  }
}

/**
 * How a storage keeps a data directory to one process, so that a {@link DirectoryLockedError} can
 * tell the operator how the lock goes away: either a file naming the owner's pid, or a lock that
 * the owner's exit releases.
 */
export type DirectoryLock =
  | {
      /** The storage class that opens data directories, e.g. `FileStorage`. */
      readonly storage: string;
      /**
       * The lock file naming the owner's pid. Pids are reused, so the operator may have to delete
       * it when that pid now belongs to something else.
       */
      readonly pidFile: string;
    }
  | {
      /** The storage class that opens data directories, e.g. `LevelStorage`. */
      readonly storage: string;
      /**
       * The lock, as the subject of a sentence (`LevelDB's lock on /data/LOCK`): released when the
       * process holding it exits, however it exits.
       */
      readonly releasedOnExit: string;
    };

/**
 * Another process, or another storage in this one, has the data directory open. Two nodes must
 * never share a directory.
 */
export class DirectoryLockedError extends Error {
  override readonly name = 'DirectoryLockedError';
  /** The lock file naming the owner's pid, for a storage locking with one; undefined otherwise. */
  readonly lockFile: string | undefined;

  constructor(
    /** The data directory. */
    readonly dir: string,
    /** Process id of the owner, when it could be found (`process.pid` when it is this process). */
    readonly pid: number | undefined,
    lock: DirectoryLock,
  ) {
    super(lockedMessage(dir, pid, lock));
    this.lockFile = 'pidFile' in lock ? lock.pidFile : undefined;
  }
}

function lockedMessage(dir: string, pid: number | undefined, lock: DirectoryLock): string {
  if (pid === process.pid) return `data directory ${dir} is already open in this process (pid ${pid}); close the other ${lock.storage} first`;
  const owner = pid === undefined ? 'another process' : `process ${pid}`;
  if ('pidFile' in lock) {
    return (
      `data directory ${dir} is in use by ${owner} (lock file ${lock.pidFile}); stop that process, or give this node its own directory. ` +
      `If ${pid === undefined ? 'that process' : owner} is not a node using this directory, delete ${lock.pidFile}.`
    );
  }
  return (
    `data directory ${dir} is in use by ${owner}; stop that process, or give this node its own directory. ` +
    `${lock.releasedOnExit} is released when ${pid === undefined ? 'the process' : owner} exits, however it exits.`
  );
}

/**
 * A write, or the engine itself, failed (I/O error, disk full, permissions, a failed fsync). The
 * node already counted on the failed write, so the storage refuses every further call; restart
 * the node, and it reads back exactly what is durable.
 */
export class StorageFailedError extends Error {
  override readonly name = 'StorageFailedError';

  /**
   * Writing `file` (or syncing it) failed: its state is unknown from then on.
   *
   * @param cause - the error of the write; kept as `cause`.
   */
  constructor(file: string, cause: unknown);
  /**
   * `action` failed in the data directory `dir`.
   *
   * @param action - what the storage was doing, e.g. `saving entries and hard state`.
   * @param cause - the engine's error; kept as `cause`.
   */
  constructor(dir: string, action: string, cause: unknown);
  constructor(location: string, ...rest: [cause: unknown] | [action: string, cause: unknown]) {
    super(failedMessage(location, rest), { cause: rest.at(-1) });
  }
}

function failedMessage(location: string, rest: [cause: unknown] | [action: string, cause: unknown]): string {
  if (rest.length === 1) {
    return (
      `writing ${location} failed (${describeError(rest[0])}); the storage accepts no further calls because the file ` +
      'state after a failed write or fsync is unknown. Fix the disk (space, permissions, hardware) and restart the ' +
      'node: recovery reads back exactly what is durable.'
    );
  }
  const [action, cause] = rest;
  return `${action} in ${location} failed (${describeError(cause)}); fix the disk (space, permissions, hardware) and restart the node: it reads back exactly what was durable.`;
}

/**
 * An error's message, followed by its cause's: engine bindings (classic-level, for one) wrap the
 * engine's own status in `cause`, and that is the part that names the file.
 */
export function describeError(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string } } | undefined;
  const own = e?.message ?? String(error);
  return e?.cause?.message ? `${own}: ${e.cause.message}` : own;
}
