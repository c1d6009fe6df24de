import { describe, expect, it } from 'vitest';
import { MessageType } from '@raft/core';
import { Cluster } from '../support/cluster.js';

/** Leader 1 commits five commands while node 3 is cut off, then compacts its log past them. */
function laggingBehindSnapshot(): Cluster {
  const c = new Cluster();
  c.elect(1);
  // Everyone learns that index 1 is committed (at the leader's next tick) and applies it.
  c.tick(1, [1]);
  c.cut(1, 3);
  for (let i = 0; i < 5; i++) c.propose(1, `x${i}`);
  c.stabilize();
  c.compact(1);
  c.heal();
  return c;
}

describe('snapshot hand-off (§7)', () => {
  it('a follower whose next entry is compacted gets the snapshot metadata, restores it, and replication resumes', () => {
    const c = laggingBehindSnapshot();
    c.tick(1);
    const snaps = c.sentOf(MessageType.Snap, 1, 3);
    expect(snaps).toHaveLength(1);
    expect(snaps[0]!.snapshot!.meta).toEqual({ index: 6, term: 1, conf: c.conf });
    // The core holds no snapshot data: the runtime fills it in from storage.
    expect(snaps[0]!.snapshot!.data.byteLength).toBe(0);
    const restored = c.readies.get(3)!.find((r) => r.snapshot !== undefined)!;
    expect(restored.snapshot!.meta.index).toBe(6);
    expect(c.persisted(3).snapshot!.index).toBe(6);
    expect(c.status(1).progress!.get(3)).toMatchObject({ match: 6 });

    c.propose(1, 'after');
    c.tick(1, [1]);
    expect(c.status(3)).toMatchObject({ firstIndex: 7, lastIndex: 7, commit: 7 });
    // Index 1 was applied before the cut; 2–6 came in the snapshot, not as entries.
    expect(c.applied.get(3)!.map((e) => e.index)).toEqual([1, 7]);
    expect(c.status(1).progress!.get(3)!.state).toBe('replicate');
  });

  it('a failed snapshot send (reportSnapshot false) returns the follower to probe, and the snapshot is sent again', () => {
    const c = laggingBehindSnapshot();
    c.drop((m) => m.type === MessageType.Snap);
    c.tick(1);
    expect(c.status(1).progress!.get(3)!.state).toBe('snapshot');
    c.node(1).reportSnapshot(3, false);
    expect(c.status(1).progress!.get(3)!.state).toBe('probe');
    c.heal();
    c.tick(2);
    expect(c.sentOf(MessageType.Snap, 1, 3)).toHaveLength(2);
    expect(c.status(3).commit).toBe(6);
  });

  it('ignores a piece of a snapshot sent in chunks (the runtime assembles them) but installs the whole one', () => {
    const c = laggingBehindSnapshot();
    c.hold((m) => m.type === MessageType.Snap);
    c.tick(1);
    const [snap] = c.sentOf(MessageType.Snap, 1, 3);
    for (const chunk of [{ offset: 0, done: false }, { offset: 0, done: true }]) {
      c.stepInto({ ...snap!, chunk });
      expect(c.node(3).hasReady() && c.node(3).ready().snapshot).toBeFalsy();
      expect(c.status(3).commit).toBeLessThan(6);
    }
    c.stepInto(snap!);
    expect(c.node(3).ready().snapshot!.meta.index).toBe(6);
  });
});
