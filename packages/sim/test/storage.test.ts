import { describe, expect, it } from 'vitest';
import { EntryType } from '@raft/core';
import type { Entry } from '@raft/core';
import { SimStorage } from '../src/index.js';

const entry = (index: number, term: number): Entry => ({ index, term, type: EntryType.Normal, data: new Uint8Array([index]) });
const conf = { voters: [1, 2, 3], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false };

describe('SimStorage', () => {
  it('starts empty, as a new node must', () => {
    const storage = new SimStorage();
    expect(storage.load()).toEqual({ hardState: { term: 0, vote: 0, commit: 0 }, snapshot: undefined, entries: [] });
    expect(storage.lastIndex).toBe(0);
    expect(storage.termAt(0)).toBe(0);
  });

  it('replaces the stored suffix from the first new entry and reports what it replaced', () => {
    const storage = new SimStorage();
    storage.persist({ snapshot: undefined, entries: [entry(1, 1), entry(2, 1), entry(3, 1)], hardState: { term: 1, vote: 2, commit: 1 } });
    const result = storage.persist({ snapshot: undefined, entries: [entry(2, 2)], hardState: undefined });
    expect(result.replaced.map((e) => e.index)).toEqual([2, 3]);
    expect(result.lastIndexBefore).toBe(3);
    expect(result.hardStateBefore).toEqual({ term: 1, vote: 2, commit: 1 });
    expect(storage.load().entries.map((e) => [e.index, e.term])).toEqual([[1, 1], [2, 2]]);
    expect(storage.hardState).toEqual({ term: 1, vote: 2, commit: 1 });
  });

  it('refuses entries that would leave a hole in the log', () => {
    const storage = new SimStorage();
    expect(() => storage.persist({ snapshot: undefined, entries: [entry(2, 1)], hardState: undefined })).toThrow(
      'entries starting at index 2 cannot be stored after a log ending at 0',
    );
  });

  it('hands a restarting node a copy, so the node cannot change what is on disk', () => {
    const storage = new SimStorage();
    storage.persist({ snapshot: undefined, entries: [entry(1, 1)], hardState: undefined });
    const loaded = storage.load();
    (loaded.entries as Entry[]).push(entry(2, 1));
    expect(storage.lastIndex).toBe(1);
  });

  it('reports the entries past a snapshot that installing it discarded as replaced', () => {
    const storage = new SimStorage();
    storage.persist({ snapshot: undefined, entries: [entry(1, 1), entry(2, 1), entry(3, 1)], hardState: undefined });
    const result = storage.persist({ snapshot: { meta: { index: 2, term: 2, conf }, data: new Uint8Array() }, entries: [], hardState: undefined });
    expect(result.replaced.map((e) => e.index)).toEqual([3]);
  });

  it('discards the log when a snapshot is installed and continues after it', () => {
    const storage = new SimStorage();
    storage.persist({ snapshot: undefined, entries: [entry(1, 1), entry(2, 1)], hardState: undefined });
    const result = storage.persist({
      snapshot: { meta: { index: 5, term: 2, conf }, data: new Uint8Array() },
      entries: [entry(6, 2)],
      hardState: { term: 2, vote: 0, commit: 6 },
    });
    // Entries the snapshot covers are compacted, not replaced.
    expect(result.replaced).toEqual([]);
    expect(storage.snapshotIndex).toBe(5);
    expect(storage.termAt(5)).toBe(2);
    expect(storage.entryAt(5)).toBeUndefined();
    expect(storage.load()).toMatchObject({ snapshot: { index: 5, term: 2 }, entries: [{ index: 6 }] });
  });
});
