/**
 * Every adapter throws the kit's error classes, so one `instanceof` catches an error whichever
 * adapter threw it. The adapters depend on the kit, so the kit cannot depend on them (that would
 * be a cycle in the build graph): this test reaches their entry points by path.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Storage } from '@raft/core';
import * as file from '../../storage-file/src/index.js';
import * as level from '../../storage-level/src/index.js';
import * as lmdb from '../../storage-lmdb/src/index.js';
import { DirectoryLockedError, StorageCorruptionError, StorageFailedError } from '../src/index.js';

const adapters = [
  { name: '@raft/storage-file', exports: file, open: (dir: string): Promise<Storage> => file.FileStorage.open(dir) },
  { name: '@raft/storage-level', exports: level, open: (dir: string): Promise<Storage> => level.LevelStorage.open(dir) },
  { name: '@raft/storage-lmdb', exports: lmdb, open: (dir: string): Promise<Storage> => lmdb.LmdbStorage.open(dir) },
];

const dirs: string[] = [];
const opened: Storage[] = [];

afterEach(async () => {
  for (const storage of opened.splice(0)) await storage.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('one error class whatever the adapter', () => {
  it.each(adapters)('$name exports the kit’s classes themselves', ({ exports }) => {
    expect(exports.StorageCorruptionError).toBe(StorageCorruptionError);
    expect(exports.DirectoryLockedError).toBe(DirectoryLockedError);
    expect(exports.StorageFailedError).toBe(StorageFailedError);
  });

  it.each(adapters)('an error $name throws is an instance of the class every adapter exports', async ({ open }) => {
    const dir = await mkdtemp(join(tmpdir(), 'raft-storage-kit-'));
    dirs.push(dir);
    opened.push(await open(dir));
    const error = await open(dir).then(
      (storage) => opened.push(storage),
      (e: unknown) => e,
    );
    for (const { exports } of adapters) expect(error).toBeInstanceOf(exports.DirectoryLockedError);
    expect((error as DirectoryLockedError).pid).toBe(process.pid);
  });
});
