import { describe, expect, it } from 'vitest';
import { MessageType, NotLeaderError, ProposalDroppedError, Role } from '@raft/core';
import { Cluster } from '../support/cluster.js';

describe('leadership transfer (thesis §3.10)', () => {
  it('a caught-up transferee is told to campaign at once and wins', () => {
    const c = new Cluster();
    c.elect(1);
    const before = c.sent.length;
    c.node(1).transferLeadership(2);
    c.stabilize();
    // The commit index goes first, so that node 2 starts out having applied what 1 committed.
    const toTwo = c.sent.slice(before).filter((m) => m.from === 1 && m.to === 2);
    const upToTimeoutNow = toTwo.slice(0, toTwo.findIndex((m) => m.type === MessageType.TimeoutNow) + 1);
    expect(upToTimeoutNow.map((m) => [m.type, m.commit])).toEqual([
      [MessageType.App, 1],
      [MessageType.TimeoutNow, 0],
    ]);
    expect(c.status(2)).toMatchObject({ role: Role.Leader, term: 2 });
    expect(c.status(1)).toMatchObject({ role: Role.Follower, leader: 2 });
  });

  it('a lagging transferee is caught up first, then told to campaign', () => {
    const c = new Cluster();
    c.elect(1);
    c.cut(1, 2);
    for (let i = 0; i < 3; i++) c.propose(1, `x${i}`);
    c.stabilize();
    c.heal();
    const before = c.sent.length;
    c.node(1).transferLeadership(2);
    c.stabilize();
    const toTwo = c.sent.slice(before).filter((m) => m.from === 1 && m.to === 2);
    const timeoutNow = toTwo.findIndex((m) => m.type === MessageType.TimeoutNow);
    expect(timeoutNow).toBeGreaterThan(0);
    expect(toTwo.slice(0, timeoutNow).every((m) => m.type === MessageType.App)).toBe(true);
    expect(c.status(2)).toMatchObject({ role: Role.Leader, term: 2 });
    expect(c.persistedTerms(2).slice(0, 4)).toEqual([1, 1, 1, 1]);
  });

  it('refuses proposals while a transfer is under way, and gives up after an election timeout', () => {
    const c = new Cluster();
    c.elect(1);
    c.cut(1, 2);
    c.node(1).transferLeadership(2);
    c.stabilize();
    expect(() => c.propose(1, 'x')).toThrow(ProposalDroppedError);
    expect(() => c.propose(1, 'x')).toThrow(/transferred to node 2/);
    c.tick(10, [1]);
    expect(c.status(1)).toMatchObject({ role: Role.Leader, leadTransferee: 0 });
    expect(c.propose(1, 'x').index).toBe(2);
  });

  it('refuses to transfer to a node that is not a voter, and on a follower', () => {
    const c = new Cluster();
    c.elect(1);
    expect(() => c.node(1).transferLeadership(9)).toThrow(/node 9: it is not a voter/);
    expect(() => c.node(2).transferLeadership(3)).toThrow(NotLeaderError);
  });
});
