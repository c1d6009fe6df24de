import type { Storage } from '@raft/core';
import { crashSnapshotSize, type CrashOp } from './crash-protocol.js';
import { lastIndexOf, termAt, type CrashState } from './crash-state.js';
import { inChunks, testEntries, testSnapshotData } from './fixtures.js';

/**
 * Chooses the next operation the way a Raft node would issue them: mostly appends, sometimes a new
 * term overwriting an uncommitted suffix, a hard state with about half the batches (its commit
 * never reaching into the batch it rides with), and now and then a snapshot at the commit index
 * followed by compaction.
 */
export function nextOp(s: CrashState, term: number, random: () => number): CrashOp {
  const last = lastIndexOf(s);
  const commit = s.hardState.commit;
  const r = random();
  if (r < 0.05 && commit > s.snapshotIndex + 40) {
    return { kind: 'snapshot', index: commit, term: termAt(s, commit)! };
  }
  let from = last + 1;
  let opTerm = term;
  if (r < 0.15 && last > commit) {
    opTerm = term + 1;
    from = commit + 1 + Math.floor(random() * (last - commit));
  }
  const to = from + Math.floor(random() * 16);
  const hardState =
    random() < 0.5
      ? { term: opTerm, vote: 1, commit: Math.max(commit, from - 1 - Math.floor(random() * 3)) }
      : undefined;
  return { kind: 'save', from, to, term: opTerm, hardState };
}

/** Performs `op` on `storage`. */
export async function runOp(storage: Storage, op: CrashOp): Promise<void> {
  if (op.kind === 'save') {
    await storage.save({ entries: testEntries(op.from, op.to, op.term), hardState: op.hardState });
    return;
  }
  const data = testSnapshotData(op.index, op.term, crashSnapshotSize(op.index));
  await storage.saveSnapshot({ index: op.index, term: op.term, conf: { voters: [1], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false } }, inChunks(data, 4096));
  await storage.compact(op.index);
}
