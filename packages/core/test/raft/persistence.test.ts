import { describe, expect, it } from 'vitest';
import { MessageType } from '@raft/core';
import { Cluster } from '../support/cluster.js';
import { msg } from '../support/messages.js';

describe('persistent state (Figure 2: persist before responding)', () => {
  it('a vote changes the hard state in the same Ready as the answer, which must be synced first', () => {
    const c = new Cluster();
    c.stepInto(msg({ type: MessageType.Vote, from: 1, to: 3, term: 1 }));
    const ready = c.handleReady(3)!;
    expect(ready.hardState).toEqual({ term: 1, vote: 1, commit: 0 });
    expect(ready.mustSync).toBe(true);
    expect(ready.messages).toMatchObject([{ type: MessageType.VoteResp, to: 1, reject: false }]);
  });

  it('appended entries and their acknowledgement travel in one Ready; a commit-only change needs no sync', () => {
    const c = new Cluster();
    c.elect(1);
    c.hold((m) => m.type === MessageType.App || m.type === MessageType.Heartbeat);
    c.propose(1, 'x');
    c.handleReady(1);
    c.deliver();
    const app = c.held.find((m) => m.to === 2 && m.type === MessageType.App)!;
    c.stepInto(app);
    const appended = c.handleReady(2)!;
    expect(appended.entries.map((e) => e.index)).toEqual([2]);
    expect(appended.mustSync).toBe(true);
    expect(appended.messages).toMatchObject([{ type: MessageType.AppResp, index: 2 }]);

    c.stepInto(msg({ type: MessageType.Heartbeat, from: 1, to: 2, term: 1, commit: 2 }));
    const committed = c.handleReady(2)!;
    expect(committed.hardState).toEqual({ term: 1, vote: 1, commit: 2 });
    expect(committed.entries).toEqual([]);
    expect(committed.mustSync).toBe(false);
  });

  it('a Ready carries no hard state when term, vote and commit are unchanged', () => {
    const c = new Cluster();
    c.elect(1);
    // Node 2 learns commit index 1 at the leader's next tick.
    c.tick(1, [1]);
    expect(c.status(2).commit).toBe(1);
    c.stepInto(msg({ type: MessageType.Heartbeat, from: 1, to: 2, term: 1, commit: 1 }));
    const ready = c.handleReady(2)!;
    expect(ready.hardState).toBeUndefined();
    expect(ready.mustSync).toBe(false);
  });

  it('a restarted node keeps its vote: it refuses a second candidate in the same term', () => {
    const c = new Cluster();
    c.stepInto(msg({ type: MessageType.Vote, from: 1, to: 3, term: 1 }));
    c.handleReady(3);
    c.restart(3);
    expect(c.status(3)).toMatchObject({ term: 1, vote: 1 });
    c.stepInto(msg({ type: MessageType.Vote, from: 2, to: 3, term: 1 }));
    expect(c.handleReady(3)!.messages).toMatchObject([{ type: MessageType.VoteResp, to: 2, reject: true }]);
  });

  it('a restarted node hands out its committed entries again, from just after its snapshot', () => {
    const c = new Cluster();
    c.elect(1);
    for (let i = 0; i < 5; i++) c.propose(1, `a${i}`);
    c.stabilize();
    // Node 2 learns the commit index at the leader's next tick.
    c.tick(1, [1]);
    expect(c.compact(2).index).toBe(6);
    c.propose(1, 'b0');
    c.propose(1, 'b1');
    c.stabilize();
    c.tick(1);
    c.restart(2);
    const ready = c.handleReady(2)!;
    expect(c.status(2)).toMatchObject({ firstIndex: 7, commit: 8 });
    expect(ready.committedEntries.map((e) => new TextDecoder().decode(e.data))).toEqual(['b0', 'b1']);
  });
});
