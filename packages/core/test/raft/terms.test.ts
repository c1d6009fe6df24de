import { describe, expect, it } from 'vitest';
import { MessageType, Role } from '@raft/core';
import { Cluster } from '../support/cluster.js';
import { msg } from '../support/messages.js';

/** A cluster whose nodes have all moved to term 3 without a leader. */
function atTerm3(config = {}): Cluster {
  const c = new Cluster({ config });
  c.stepInto(msg({ type: MessageType.Heartbeat, from: 1, to: 2, term: 3 }));
  c.handleReady(2);
  return c;
}

describe('terms (§5.1)', () => {
  it('ignores messages from an earlier term: no vote, no entries, no state change', () => {
    const c = atTerm3({ preVote: false, checkQuorum: false });
    const before = c.status(2);
    c.stepInto(msg({ type: MessageType.App, from: 3, to: 2, term: 2, index: 0, logTerm: 0, entries: [] }));
    c.stepInto(msg({ type: MessageType.VoteResp, from: 3, to: 2, term: 2 }));
    expect(c.node(2).hasReady()).toBe(false);
    expect(c.status(2)).toEqual(before);
  });

  it('refuses a candidate of an earlier term with its own term, which the candidate then takes up', () => {
    // Regression (simulation seed 127 on 3 nodes, with clock phases): a node whose applied
    // configuration left the candidate out kept a higher term the candidate never heard of, and
    // ignored its votes; the candidate, whose log was the only one that could win, campaigned below
    // that term forever.
    const c = atTerm3({ preVote: false, checkQuorum: false });
    const before = c.status(2);
    c.stepInto(msg({ type: MessageType.Vote, from: 3, to: 2, term: 2, index: 9, logTerm: 2 }));
    const answer = c.handleReady(2)!;
    expect(answer.messages).toMatchObject([{ type: MessageType.VoteResp, to: 3, term: 3, reject: true }]);
    expect(answer.hardState).toBeUndefined();
    expect(c.status(2)).toEqual(before);
    c.stepInto(answer.messages[0]!);
    expect(c.status(3).term).toBe(3);
  });

  it('with pre-vote or check-quorum, answers a stale leader with its newer term', () => {
    const c = atTerm3();
    c.stepInto(msg({ type: MessageType.App, from: 3, to: 2, term: 2, index: 0, logTerm: 0 }));
    c.stepInto(msg({ type: MessageType.Heartbeat, from: 3, to: 2, term: 2 }));
    expect(c.handleReady(2)!.messages).toMatchObject([
      { type: MessageType.AppResp, to: 3, term: 3 },
      { type: MessageType.AppResp, to: 3, term: 3 },
    ]);
    expect(c.status(2)).toMatchObject({ term: 3, leader: 1 });
  });

  it('a deposed leader learns the newer term from the answer to its stale AppendEntries and steps down', () => {
    const c = new Cluster();
    c.elect(1);
    c.isolate(1);
    // Nodes 2 and 3 stop hearing from 1 and elect a leader of term 2; node 1 is not ticked, so it
    // has not noticed (check-quorum would have deposed it after an election timeout).
    c.tick(30, [2, 3]);
    const newLeader = [2, 3].find((id) => c.status(id).role === Role.Leader)!;
    expect(c.status(newLeader).term).toBe(2);
    c.heal();
    const stale = c.propose(1, 'lost');
    c.stabilize();
    expect(c.status(1)).toMatchObject({ role: Role.Follower, term: 2 });
    c.tick(2);
    expect(c.status(1).leader).toBe(newLeader);
    // The stale leader's entry was never committed and is replaced by the new leader's log.
    expect(c.persistedTerms(1)).toEqual(c.persistedTerms(newLeader));
    expect(c.applied.get(1)!.some((e) => e.index === stale.index && e.term === stale.term)).toBe(false);
  });
});
