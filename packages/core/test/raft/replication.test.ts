import { describe, expect, it } from 'vitest';
import { MessageType, Role } from '@raft/core';
import { RaftLog } from '../../src/raft/raft-log.js';
import { Cluster, entriesWithTerms } from '../support/cluster.js';
import { msg } from '../support/messages.js';

const ctx = (s: string) => new TextEncoder().encode(s);

/** An AppendEntries from leader 1 of `term` to node 2. */
function append(term: number, prevIndex: number, prevTerm: number, entryTerms: number[], commit = 0) {
  return msg({
    type: MessageType.App,
    from: 1,
    to: 2,
    term,
    index: prevIndex,
    logTerm: prevTerm,
    entries: entriesWithTerms(entryTerms, prevIndex + 1),
    commit,
  });
}

describe('log replication (§5.3)', () => {
  it('commits a proposal once a majority has persisted it, and every node applies the same entries', () => {
    const c = new Cluster();
    c.elect(1);
    c.tick(1, [1]);
    expect(c.applied.get(3)!.map((e) => e.index)).toEqual([1]);
    c.isolate(3);
    const { index } = c.propose(1, 'x');
    c.stabilize();
    expect(c.status(1).commit).toBe(index);
    expect(c.applied.get(3)!.map((e) => e.index)).toEqual([1]);
    c.heal();
    c.tick(1);
    for (const id of [1, 2, 3]) {
      expect(c.applied.get(id)!.map((e) => new TextDecoder().decode(e.data))).toEqual(['', 'x']);
    }
  });

  it('the consistency check rejects an AppendEntries whose previous entry does not match', () => {
    const c = new Cluster({ logs: { 2: [1, 1] } });
    // Same index, other term.
    c.stepInto(append(2, 2, 2, [2]));
    // Past the end of the follower's log.
    c.stepInto(append(2, 5, 2, [2]));
    const answers = c.handleReady(2)!.messages;
    expect(answers).toMatchObject([
      { type: MessageType.AppResp, reject: true, index: 2 },
      { type: MessageType.AppResp, reject: true, index: 5 },
    ]);
    expect(c.status(2).lastIndex).toBe(2);
    expect(c.persistedTerms(2)).toEqual([1, 1]);
  });

  it('a conflicting suffix is truncated and replaced by the leader’s entries', () => {
    const c = new Cluster({ logs: { 2: [1, 1, 1, 1] } });
    c.stepInto(append(2, 2, 1, [2]));
    const ready = c.handleReady(2)!;
    expect(ready.entries.map((e) => [e.index, e.term])).toEqual([[3, 2]]);
    expect(ready.messages).toMatchObject([{ type: MessageType.AppResp, reject: false, index: 3 }]);
    expect(c.persistedTerms(2)).toEqual([1, 1, 2]);
  });

  it('never truncates a committed entry: the log throws, and a stale AppendEntries is only answered', () => {
    const log = new RaftLog({ index: 0, term: 0 }, entriesWithTerms([1, 1, 1]), 3, 0);
    expect(() => log.tryAppend(1, 1, entriesWithTerms([2], 2))).toThrow(/entry 2 conflicts with a committed entry/);

    const c = new Cluster({ logs: { 2: [1, 1, 1] } });
    c.stepInto(append(1, 0, 0, [1, 1, 1], 3));
    c.handleReady(2);
    // A delayed message from before the commit, whose entries would conflict: acknowledged at the commit index.
    c.stepInto(append(2, 1, 1, [2]));
    expect(c.handleReady(2)!.messages).toMatchObject([{ type: MessageType.AppResp, reject: false, index: 3 }]);
    expect(c.persistedTerms(2)).toEqual([1, 1, 1]);
  });

  it('fast backtracking repairs a long divergent tail in round trips per term, not per entry', () => {
    const divergent = Array.from({ length: 100 }, () => 2);
    const c = new Cluster({ logs: { 1: [1, 3, 3, 3, 3], 2: [1, 3, 3, 3, 3], 3: [1, ...divergent] } });
    c.elect(1);
    expect(c.persistedTerms(3)).toEqual([1, 3, 3, 3, 3, 4]);
    // One probe rejected with a term hint, then one append from the last common entry.
    expect(c.sentOf(MessageType.App, 1, 3).length).toBeLessThanOrEqual(3);
  });

  it('Figure 7: the leader of term 8 brings every possible follower log in line with its own', () => {
    const leader = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
    const c = new Cluster({
      ids: [1, 2, 3, 4, 5, 6, 7],
      logs: {
        1: leader,
        2: [1, 1, 1, 4, 4, 5, 5, 6, 6], // (a) missing an entry
        3: [1, 1, 1, 4], // (b) missing many
        4: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6], // (c) an extra uncommitted entry
        5: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7], // (d) extra entries of a later term
        6: [1, 1, 1, 4, 4, 4, 4], // (e) missing entries, extra ones of term 4
        7: [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3], // (f) a leader of terms 2 and 3 that never replicated
      },
      terms: { 1: 7 },
    });
    c.elect(1);
    expect(c.status(1).term).toBe(8);
    for (const id of [2, 3, 4, 5, 6, 7]) {
      expect(c.persistedTerms(id)).toEqual([...leader, 8]);
      expect(c.sentOf(MessageType.App, 1, id).length).toBeLessThanOrEqual(4);
    }
    expect(c.status(1).commit).toBe(11);
  });

  it('a follower advances its commit from leaderCommit only up to the last entry the message proved', () => {
    const c = new Cluster({ logs: { 2: [1, 1, 1, 1, 1, 1, 1, 1] } });
    // The leader has committed 8 of its own, but this message only proves entries up to 5 match.
    c.stepInto(append(2, 5, 1, [], 8));
    expect(c.status(2).commit).toBe(5);
    c.stepInto(append(2, 5, 1, [2], 8));
    expect(c.status(2)).toMatchObject({ commit: 6, lastIndex: 6 });
    c.handleReady(2);
    expect(c.applied.get(2)!.map((e) => e.index)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a new leader brings a lagging follower up to date', () => {
    const c = new Cluster();
    c.elect(1);
    c.isolate(3);
    for (let i = 0; i < 20; i++) c.propose(1, `cmd ${i}`);
    c.stabilize();
    c.heal();
    c.tick(2);
    expect(c.status(3)).toMatchObject({ role: Role.Follower, lastIndex: 21, commit: 21 });
  });
});

describe('how followers learn the commit index', () => {
  // Heartbeats carry the commit index too: make them rare so that only AppendEntries are seen.
  const rareHeartbeats = { heartbeatTicks: 5 };
  const appendsFrom1 = (c: Cluster, since: number) =>
    c.sent.slice(since).filter((m) => m.type === MessageType.App && m.from === 1).map((m) => [m.to, m.entries.length, m.commit]);

  it('a commit does not make the leader send AppendEntries of its own: its next tick tells the followers', () => {
    const c = new Cluster({ config: rareHeartbeats });
    c.elect(1);
    c.tick(1, [1]);
    const since = c.sent.length;
    const { index } = c.propose(1, 'x');
    c.stabilize();
    expect(c.status(1).commit).toBe(index);
    expect(appendsFrom1(c, since)).toEqual([
      [2, 1, index - 1],
      [3, 1, index - 1],
    ]);
    expect(c.status(2).commit).toBe(index - 1);

    const beforeTick = c.sent.length;
    c.tick(1, [1]);
    expect(appendsFrom1(c, beforeTick)).toEqual([
      [2, 0, index],
      [3, 0, index],
    ]);
    for (const id of [2, 3]) expect(c.applied.get(id)!.map((e) => e.index)).toEqual([1, index]);
    // Told once: the tick after sends nothing.
    const afterTick = c.sent.length;
    c.tick(1, [1]);
    expect(appendsFrom1(c, afterTick)).toEqual([]);
  });

  it('under a stream of writes, each AppendEntries carries the commit index of the writes before it', () => {
    const c = new Cluster({ config: rareHeartbeats });
    c.elect(1);
    const x = c.propose(1, 'x');
    c.stabilize();
    const since = c.sent.length;
    c.propose(1, 'y');
    c.stabilize();
    expect(appendsFrom1(c, since)).toEqual([
      [2, 1, x.index],
      [3, 1, x.index],
    ]);
    for (const id of [2, 3]) expect(c.status(id).commit).toBe(x.index);
  });

  it('a follower’s read answered from the lease comes with the commit index it must apply up to', () => {
    const c = new Cluster({ config: { ...rareHeartbeats, readOnly: 'lease' } });
    c.elect(1);
    // The lease starts with the first heartbeat a quorum acknowledges.
    c.tick(5, [1]);
    const { index } = c.propose(1, 'x');
    c.stabilize();
    expect(c.status(2).commit).toBe(index - 1);
    c.node(2).readIndex(ctx('f'));
    c.stabilize();
    expect(c.sentOf(MessageType.Heartbeat, 1, 2)).toHaveLength(1);
    expect(c.reads.get(2)).toEqual([{ index, context: ctx('f') }]);
    expect(c.status(2).commit).toBe(index);
  });
});
