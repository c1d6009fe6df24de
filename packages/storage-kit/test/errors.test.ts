import { describe, expect, it } from 'vitest';
import { DirectoryLockedError, StorageCorruptionError, StorageFailedError, describeError } from '../src/index.js';

const REMEDY = /This node cannot safely start from this data directory\. Restore the directory from a backup, or move it aside and rejoin this node/;

describe('StorageCorruptionError', () => {
  it('names a file and the byte offset of the damage', () => {
    const e = new StorageCorruptionError('/data/00000000000000000002.wal', 4096, 'frame body checksum mismatch');
    expect(e).toMatchObject({ name: 'StorageCorruptionError', file: '/data/00000000000000000002.wal', offset: 4096, record: undefined, problem: 'frame body checksum mismatch' });
    expect(e.message).toMatch(/^\/data\/00000000000000000002\.wal at byte 4096: frame body checksum mismatch\. /);
    expect(e.message).toMatch(REMEDY);
  });

  it('names a record of an engine database in a data directory', () => {
    const e = new StorageCorruptionError('/data', 'entry 42', 'checksum mismatch');
    expect(e).toMatchObject({ file: '/data', offset: undefined, record: 'entry 42' });
    expect(e.message).toMatch(/^\/data: entry 42: checksum mismatch\. /);
    expect(e.message).toMatch(/Do not edit, truncate or delete its files by hand: entries it acknowledged would be lost\.$/);
  });

  it('names a file as a whole', () => {
    const e = new StorageCorruptionError('/data', undefined, 'a snapshot exists but no write-ahead log segment');
    expect(e).toMatchObject({ offset: undefined, record: undefined });
    expect(e.message).toMatch(/^\/data: a snapshot exists but no write-ahead log segment\. /);
  });
});

describe('DirectoryLockedError', () => {
  it('for a pid file: names the owner and the file to delete if the pid is not a node', () => {
    const e = new DirectoryLockedError('/data', 4242, { storage: 'FileStorage', pidFile: '/data/LOCK' });
    expect(e).toMatchObject({ name: 'DirectoryLockedError', dir: '/data', pid: 4242, lockFile: '/data/LOCK' });
    expect(e.message).toBe(
      'data directory /data is in use by process 4242 (lock file /data/LOCK); stop that process, or give this node its own directory. ' +
        'If process 4242 is not a node using this directory, delete /data/LOCK.',
    );
  });

  it("for a lock its owner's exit releases: names the engine's lock, and says nothing needs deleting", () => {
    const e = new DirectoryLockedError('/data', 4242, { storage: 'LevelStorage', releasedOnExit: "LevelDB's lock on /data/LOCK" });
    expect(e.lockFile).toBeUndefined();
    expect(e.message).toBe(
      'data directory /data is in use by process 4242; stop that process, or give this node its own directory. ' +
        "LevelDB's lock on /data/LOCK is released when process 4242 exits, however it exits.",
    );
  });

  it('says "another process" when the owner could not be found', () => {
    const e = new DirectoryLockedError('/data', undefined, { storage: 'LevelStorage', releasedOnExit: "LevelDB's lock on /data/LOCK" });
    expect(e.message).toMatch(/^data directory \/data is in use by another process; .* is released when the process exits/);
  });

  it('in this very process: names the storage to close', () => {
    const e = new DirectoryLockedError('/data', process.pid, { storage: 'LmdbStorage', releasedOnExit: 'Its claim' });
    expect(e.message).toBe(`data directory /data is already open in this process (pid ${process.pid}); close the other LmdbStorage first`);
  });
});

describe('StorageFailedError', () => {
  it('for a write to a file: says the storage takes no further calls, and keeps the cause', () => {
    const cause = new Error('ENOSPC: no space left on device, write');
    const e = new StorageFailedError('/data/00000000000000000001.wal', cause);
    expect(e.name).toBe('StorageFailedError');
    expect(e.cause).toBe(cause);
    expect(e.message).toMatch(/^writing \/data\/00000000000000000001\.wal failed \(ENOSPC: no space left on device, write\); the storage accepts no further calls/);
    expect(e.message).toMatch(/Fix the disk \(space, permissions, hardware\) and restart the node: recovery reads back exactly what is durable\.$/);
  });

  it("for an engine's action in a directory: names the action and the cause's cause", () => {
    const cause = new Error('Database failed to open', { cause: new Error('IO error: /data/LOCK: Is a directory') });
    const e = new StorageFailedError('/data', 'opening the LevelDB database', cause);
    expect(e.cause).toBe(cause);
    expect(e.message).toBe(
      'opening the LevelDB database in /data failed (Database failed to open: IO error: /data/LOCK: Is a directory); ' +
        'fix the disk (space, permissions, hardware) and restart the node: it reads back exactly what was durable.',
    );
  });

  it('describes a thrown value that is not an Error', () => {
    expect(describeError('EIO')).toBe('EIO');
    expect(new StorageFailedError('/data', 'compacting the log', undefined).message).toMatch(/^compacting the log in \/data failed \(undefined\)/);
  });
});
