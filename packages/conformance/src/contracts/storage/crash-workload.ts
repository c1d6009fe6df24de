import type { Storage } from '@raft/core';
import { crashSnapshotSize, type CrashOp } from './crash-protocol.js';
import { lastIndexOf, termAt, type CrashState } from './crash-state.js';
import { inChunks, testEntries, testSnapshotData } from './fixtures.js';

/**
 * Chooses the next operation the way a Raft node would issue them: mostly appends, sometimes a new
 * term overwriting an uncommitted suffix, a hard state with about half the batches (its commit
 * never reaching into the batch it rides with), now and then a snapshot at the commit index
 * followed by compaction, and rarely a snapshot from a leader replacing the log.
 */
export function nextOp(s: CrashState, term: number, random: () => number): CrashOp {
  const last = lastIndexOf(s);
  const commit = s.hardState.commit;
  // Entries up to here are committed or covered by a snapshot: never overwritten.
  const fixed = Math.max(commit, s.snapshotIndex);
  const r = random();
  if (r < 0.05 && commit > s.snapshotIndex + 40) {
    return { kind: 'snapshot', index: commit, term: termAt(s, commit)! };
  }
  if (r < 0.065) return { kind: 'install', index: last + Math.floor(random() * 20), term: term + 1 };
  let from = last + 1;
  let opTerm = term;
  if (r < 0.15 && last > fixed) {
    opTerm = term + 1;
    from = fixed + 1 + Math.floor(random() * (last - fixed));
  }
  const to = from + Math.floor(random() * 16);
  const hardState =
    random() < 0.5
      ? { term: opTerm, vote: 1, commit: Math.max(commit, from - 1 - Math.floor(random() * 3)) }
      : undefined;
  return { kind: 'save', from, to, term: opTerm, hardState };
}

const CONF = { voters: [1], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false };

/** Performs `op` on `storage`. */
export async function runOp(storage: Storage, op: CrashOp): Promise<void> {
  if (op.kind === 'save') {
    await storage.save({ entries: testEntries(op.from, op.to, op.term), hardState: op.hardState });
    return;
  }
  const meta = { index: op.index, term: op.term, conf: CONF };
  const data = inChunks(testSnapshotData(op.index, op.term, crashSnapshotSize(op.index)), 4096);
  if (op.kind === 'install') {
    await storage.installSnapshot(meta, data);
    return;
  }
  await storage.saveSnapshot(meta, data);
  await storage.compact(op.index);
}
