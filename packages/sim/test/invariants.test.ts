import { describe, expect, it } from 'vitest';
import { EntryType } from '@raft/core';
import type { Entry } from '@raft/core';
import {
  CommitRules,
  ElectionSafety,
  InvariantViolation,
  LeaderAppendOnly,
  LeaderCompleteness,
  LogMatching,
  ReadSafety,
  SimStorage,
  StateMachineSafety,
} from '../src/index.js';
import type { SimNodeStatus } from '../src/index.js';

const encoder = new TextEncoder();
const entry = (index: number, term: number, data = `e${index}t${term}`): Entry => ({ index, term, type: EntryType.Normal, data: encoder.encode(data) });
const log = (...terms: number[]): Entry[] => terms.map((term, i) => entry(i + 1, term));

function violation(invariant: string, action: () => void): InvariantViolation {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InvariantViolation);
    expect((error as InvariantViolation).invariant).toBe(invariant);
    return error as InvariantViolation;
  }
  throw new Error(`expected a ${invariant} violation, but the checker accepted the history`);
}

function storageWith(entries: Entry[], commit = 0): SimStorage {
  const storage = new SimStorage();
  storage.persist({ snapshot: undefined, entries, hardState: { term: entries.at(-1)?.term ?? 0, vote: 0, commit } });
  return storage;
}

describe('ElectionSafety', () => {
  it('accepts one leader per term, even seen many times', () => {
    const checker = new ElectionSafety();
    checker.observeLeader(1, 2, 10);
    checker.observeLeader(1, 2, 11);
    checker.observeLeader(2, 3, 12);
    expect(checker.termsWithLeader).toBe(2);
  });

  it('catches a second leader in a term, naming both and the term', () => {
    const checker = new ElectionSafety();
    checker.observeLeader(1, 4, 10);
    const error = violation('Election Safety', () => checker.observeLeader(3, 4, 99));
    expect(error.detail).toBe('term 4 has two leaders: n1 (since step 10) and n3 (at step 99)');
  });
});

describe('LeaderAppendOnly', () => {
  it('accepts a leader whose log grows, and a new leadership starting over', () => {
    const checker = new LeaderAppendOnly();
    checker.observeStatus(1, true, 2, 5);
    checker.observeStatus(1, true, 2, 7);
    checker.observeStatus(1, false, 3, 3);
    checker.observeStatus(1, true, 4, 4);
    checker.observePersist(1, 4, []);
    checker.observePersist(1, 4, []);
  });

  it('catches a leader whose log shrinks within its term', () => {
    const checker = new LeaderAppendOnly();
    checker.observeStatus(2, true, 3, 8);
    const error = violation('Leader Append-Only', () => checker.observeStatus(2, true, 3, 6));
    expect(error.detail).toContain('n2, leader of term 3, shrank its log from last index 8 to 6');
  });

  it('catches a leader that overwrites a stored entry of its own', () => {
    const checker = new LeaderAppendOnly();
    checker.observePersist(2, 3, []);
    const error = violation('Leader Append-Only', () => checker.observePersist(2, 3, [entry(5, 3)]));
    expect(error.detail).toContain('replaced 1 of its own entries from 5/t3');
  });

  it('lets a node that just became leader persist the truncation it accepted as follower', () => {
    const checker = new LeaderAppendOnly();
    checker.observePersist(2, undefined, []);
    checker.observePersist(2, 3, [entry(5, 2)]);
  });
});

describe('LogMatching', () => {
  it('accepts logs that agree where they share a position, and diverge after', () => {
    const checker = new LogMatching();
    checker.observeWrite(1, log(1, 1, 2), 0, 1);
    checker.observeWrite(2, log(1, 1, 2, 2), 0, 2);
    checker.observeWrite(3, [entry(4, 3)], 2, 3);
  });

  it('catches two different entries at the same index and term', () => {
    const checker = new LogMatching();
    checker.observeWrite(1, log(1, 1), 0, 1);
    const error = violation('Log Matching', () => checker.observeWrite(2, [entry(1, 1), entry(2, 1, 'other')], 0, 7));
    expect(error.detail).toContain('position 2/t1 holds 2/t1 "e2t1" on n1 (stored at step 1) but 2/t1 "other" on n2');
  });

  it('catches the same entry after different prefixes', () => {
    const checker = new LogMatching();
    checker.observeWrite(1, log(1, 2, 2), 0, 1);
    checker.observeWrite(2, [entry(1, 1), entry(2, 1)], 0, 2);
    const error = violation('Log Matching', () => checker.observeWrite(2, [entry(3, 2)], 1, 3));
    expect(error.detail).toContain('follows an entry of term 2 on n1');
  });
});

describe('StateMachineSafety', () => {
  it('accepts nodes applying the same entries in order, and a restart applying again', () => {
    const checker = new StateMachineSafety();
    for (const e of log(1, 1)) checker.observeApply(1, e, 1, 1);
    expect(checker.observeApply(2, entry(1, 1), 1, 2)).toBeUndefined();
    checker.observeRestore(1, 0);
    checker.observeApply(1, entry(1, 1), 1, 3);
    expect(checker.maxApplied).toBe(2);
  });

  it('catches two nodes applying different entries at one index', () => {
    const checker = new StateMachineSafety();
    checker.observeApply(1, entry(1, 1), 1, 5);
    const error = violation('State Machine Safety', () => checker.observeApply(2, entry(1, 2), 2, 9));
    expect(error.detail).toBe('index 1: n1 applied 1/t1 "e1t1" at step 5, n2 applied 1/t2 "e1t2"');
  });

  it('catches a gap and a repeat in one node', () => {
    const gap = new StateMachineSafety();
    expect(violation('State Machine Safety', () => gap.observeApply(1, entry(2, 1), 1, 1)).detail).toContain('(a gap)');
    const repeat = new StateMachineSafety();
    repeat.observeApply(1, entry(1, 1), 1, 1);
    expect(violation('State Machine Safety', () => repeat.observeApply(1, entry(1, 1), 1, 2)).detail).toContain('(a repeat)');
  });
});

describe('LeaderCompleteness', () => {
  const committed = (e: Entry, termBound: number) => ({ entry: e, node: 9, step: 1, termBound });

  it('accepts later leaders holding every committed entry, and earlier-term leaders lacking it', () => {
    const checker = new LeaderCompleteness();
    checker.observeCommit(committed(entry(1, 1), 2));
    checker.observeLeaderLog(1, 3, storageWith(log(1, 3)));
    checker.observeLeaderLog(2, 2, storageWith(log(2)));
  });

  it('catches a new leader of a later term missing a committed entry', () => {
    const checker = new LeaderCompleteness();
    checker.observeCommit(committed(entry(2, 1), 1));
    const error = violation('Leader Completeness', () => checker.observeLeaderLog(3, 2, storageWith(log(1, 2))));
    expect(error.detail).toContain('n3, leader of term 2, lacks committed entry 2/t1 "e2t1"');
    expect(error.detail).toContain('it has 2/t2 "e2t2" at index 2');
  });

  it('catches a sitting leader when an entry it lacks is found committed', () => {
    const checker = new LeaderCompleteness();
    checker.observeLeaderLog(3, 5, storageWith(log(1)));
    violation('Leader Completeness', () => checker.observeCommit(committed(entry(2, 4), 4)));
  });
});

describe('CommitRules', () => {
  const status = (commit: number, lastIndex: number, applied = 0): SimNodeStatus => ({
    id: 1, role: 'follower', term: 1, vote: 0, leader: 0, commit, applied, firstIndex: 1, lastIndex,
    conf: { voters: [1], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false },
  });

  it('accepts a commit index that grows within the log', () => {
    const checker = new CommitRules();
    checker.observeStatus(status(1, 3, 1));
    checker.observeStatus(status(3, 3, 2));
  });

  it('catches a commit index beyond the last index, or going back', () => {
    const checker = new CommitRules();
    violation('Commit Bounds', () => checker.observeStatus(status(4, 3)));
    checker.observeStatus(status(3, 3));
    expect(violation('Commit Bounds', () => checker.observeStatus(status(2, 3))).detail).toBe('n1 moved its commit index back from 3 to 2');
  });

  it('catches a durable write replacing a committed entry', () => {
    const storage = storageWith(log(1, 1, 1), 2);
    const result = storage.persist({ snapshot: undefined, entries: [entry(2, 2)], hardState: undefined });
    const error = violation('Committed Entries Are Immutable', () => new CommitRules().observePersist(1, result, storage, 2));
    expect(error.detail).toBe('n1 replaced committed entry 2/t1 "e2t1" (durable commit 2) with 2/t2 "e2t2"');
  });

  it('accepts a durable write replacing an uncommitted suffix', () => {
    const storage = storageWith(log(1, 1, 1), 1);
    const result = storage.persist({ snapshot: undefined, entries: [entry(2, 2)], hardState: undefined });
    new CommitRules().observePersist(1, result, storage, 1);
  });
});

describe('ReadSafety', () => {
  it('catches a read index behind what was applied when the read was asked', () => {
    const checker = new ReadSafety();
    checker.observeRequest(2, encoder.encode('r1'), 7, 40);
    checker.observeRequest(2, encoder.encode('r2'), 7, 41);
    checker.observeReadState(1, { index: 7, context: encoder.encode('r2') });
    const error = violation('Read Safety', () => checker.observeReadState(1, { index: 6, context: encoder.encode('r1') }));
    expect(error.detail).toBe('read "r1" requested on n2 at step 40 got read index 6 from n1, but index 7 was already applied');
  });
});
