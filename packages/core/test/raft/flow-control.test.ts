import { describe, expect, it } from 'vitest';
import { MessageType } from '@raft/core';
import { Cluster } from '../support/cluster.js';

describe('flow control (replication progress)', () => {
  it('streams at most maxInflight unacknowledged AppendEntries to a follower in replicate state', () => {
    const c = new Cluster({ config: { maxInflight: 2 } });
    c.elect(1);
    expect(c.status(1).progress!.get(2)!.state).toBe('replicate');
    c.cut(1, 2);
    const before = c.sent.length;
    for (let i = 0; i < 5; i++) {
      c.propose(1, `x${i}`);
      c.stabilize();
    }
    // Entry-less AppendEntries that only carry the commit index are not part of the window.
    const carryingEntries = c.sent.slice(before).filter((m) => m.type === MessageType.App && m.to === 2 && m.entries.length > 0);
    expect(carryingEntries.map((m) => m.entries[0]!.index)).toEqual([2, 3]);
    expect(c.status(1).progress!.get(2)).toMatchObject({ state: 'replicate', inflight: 2 });
    // Node 3 keeps up, so the cluster still commits.
    expect(c.status(1).commit).toBe(6);
  });

  it('a follower that lost messages is probed and caught up', () => {
    const c = new Cluster({ config: { maxInflight: 2 } });
    c.elect(1);
    c.cut(1, 2);
    for (let i = 0; i < 5; i++) {
      c.propose(1, `x${i}`);
      c.stabilize();
    }
    c.heal();
    c.tick(1);
    expect(c.status(2)).toMatchObject({ lastIndex: 6, commit: 6 });
    expect(c.status(1).progress!.get(2)).toMatchObject({ state: 'replicate', match: 6, inflight: 0 });
  });

  it('a gap in the stream is noticed by the follower’s rejection and repaired from its match', () => {
    const c = new Cluster();
    c.elect(1);
    let lost = false;
    c.drop((m) => {
      if (lost || m.type !== MessageType.App || m.to !== 2 || m.entries.length === 0) return false;
      lost = true;
      return true;
    });
    c.propose(1, 'lost');
    c.stabilize();
    c.propose(1, 'next');
    c.stabilize();
    expect(c.sentOf(MessageType.AppResp, 2, 1).some((m) => m.reject)).toBe(true);
    expect(c.status(2).lastIndex).toBe(3);
    expect(c.status(1).progress!.get(2)).toMatchObject({ state: 'replicate', match: 3 });
  });

  it('reportUnreachable moves a streaming follower to probe', () => {
    const c = new Cluster();
    c.elect(1);
    c.node(1).reportUnreachable(2);
    expect(c.status(1).progress!.get(2)!.state).toBe('probe');
    expect(c.status(1).progress!.get(3)!.state).toBe('replicate');
  });
});
