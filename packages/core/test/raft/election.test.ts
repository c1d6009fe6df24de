import { describe, expect, it } from 'vitest';
import { EntryType, MessageType, RawNode, Role, seededRandom } from '@raft/core';
import { TRANSFER_CONTEXT } from '../../src/raft/messages.js';
import { Cluster, entriesWithTerms, voters } from '../support/cluster.js';
import { msg } from '../support/messages.js';

const T = 10;

/** Ticks a lone follower of a three-voter cluster until it starts campaigning; returns the ticks. */
function ticksUntilCampaign(seed: number): number {
  const node = new RawNode(
    { id: 1, electionTicks: T, heartbeatTicks: 1, random: seededRandom(seed) },
    { hardState: { term: 0, vote: 0, commit: 0 }, snapshot: undefined, entries: [] },
    voters(1, 2, 3),
  );
  for (let tick = 1; tick <= 4 * T; tick++) {
    node.tick();
    if (node.status().role !== Role.Follower) return tick;
  }
  throw new Error('the follower never campaigned');
}

describe('leader election (§5.2)', () => {
  it('a follower campaigns after a randomized election timeout in [T, 2T)', () => {
    const timeouts = Array.from({ length: 300 }, (_, seed) => ticksUntilCampaign(seed));
    expect(Math.min(...timeouts)).toBeGreaterThanOrEqual(T);
    expect(Math.max(...timeouts)).toBeLessThan(2 * T);
    // Spread out, so that split votes resolve: most of the range is used.
    expect(new Set(timeouts).size).toBeGreaterThanOrEqual(T - 2);
  });

  it('a candidate that wins a majority becomes leader and appends a no-op of its term', () => {
    const c = new Cluster();
    c.elect(1);
    const s = c.status(1);
    expect(s).toMatchObject({ role: Role.Leader, term: 1, leader: 1, lastIndex: 1, commit: 1 });
    // Followers learn the commit index at the leader's next tick at the latest.
    c.tick(1, [1]);
    expect(c.applied.get(2)).toEqual([{ term: 1, index: 1, type: EntryType.Normal, data: new Uint8Array(0) }]);
    expect(c.status(2).leader).toBe(1);
    expect(c.status(3).leader).toBe(1);
  });

  it('a candidate whose votes are refused by a majority does not become leader', () => {
    const c = new Cluster({ config: { preVote: false } });
    c.cut(1, 2, 3);
    c.campaign(1);
    expect(c.status(1).role).toBe(Role.Candidate);
    c.tick(2 * T, [1]);
    expect(c.status(1).role).not.toBe(Role.Leader);
  });

  it('a refused vote request moves a node to the candidate\'s term but leaves its election timer running; a granted one restarts it', () => {
    // Found by the simulator (seeds 315190, 318069, 318854, 324135 and 331623 on 3 nodes, 3000 steps, no
    // pre-vote): in a joint configuration only the node with the longest log could win, and the
    // others' hopeless campaigns restarted its timer each time, so for 190 ticks it never campaigned.
    const follower = (seed: number) =>
      new RawNode(
        { id: 1, electionTicks: T, heartbeatTicks: 1, preVote: false, random: seededRandom(seed) },
        { hardState: { term: 2, vote: 0, commit: 0 }, snapshot: undefined, entries: entriesWithTerms([1, 2]) },
        voters(1, 2, 3),
      );
    const campaignsAt = (node: RawNode, ticked: number): number => {
      for (let tick = ticked + 1; tick <= 4 * T; tick++) {
        node.tick();
        if (node.status().role !== Role.Follower) return tick;
      }
      throw new Error('the follower never campaigned');
    };
    for (let seed = 0; seed < 50; seed++) {
      const undisturbed = campaignsAt(follower(seed), 0);
      const refusing = follower(seed);
      for (let tick = 1; tick < T; tick++) refusing.tick();
      refusing.step(msg({ type: MessageType.Vote, from: 2, to: 1, term: 5, index: 1, logTerm: 1 }));
      expect(refusing.status()).toMatchObject({ term: 5, vote: 0, role: Role.Follower });
      expect(campaignsAt(refusing, T - 1), `seed ${seed}`).toBe(undisturbed);

      const granting = follower(seed);
      for (let tick = 1; tick < T; tick++) granting.tick();
      granting.step(msg({ type: MessageType.Vote, from: 2, to: 1, term: 5, index: 2, logTerm: 2 }));
      expect(granting.status()).toMatchObject({ term: 5, vote: 2 });
      expect(campaignsAt(granting, T - 1)).toBeGreaterThanOrEqual(T - 1 + T);
    }
  });

  it('a node grants at most one vote per term', () => {
    const c = new Cluster();
    c.stepInto(msg({ type: MessageType.Vote, from: 1, to: 3, term: 1 }));
    c.stepInto(msg({ type: MessageType.Vote, from: 2, to: 3, term: 1 }));
    const answers = c.handleReady(3)!.messages;
    expect(answers.map((m) => [m.to, m.type, m.reject])).toEqual([
      [1, MessageType.VoteResp, false],
      [2, MessageType.VoteResp, true],
    ]);
    expect(c.status(3).vote).toBe(1);
  });

  it('refuses a candidate whose log is less up to date (§5.4.1)', () => {
    // Node 3 holds entries of terms [1, 1, 2].
    const c = new Cluster({ logs: { 3: [1, 1, 2] } });
    const vote = (from: number, term: number, index: number, logTerm: number) => {
      c.stepInto(msg({ type: MessageType.Vote, from, to: 3, term, index, logTerm }));
      return c.handleReady(3)!.messages.at(-1)!;
    };
    // Same last term, shorter log.
    expect(vote(1, 3, 2, 2).reject).toBe(true);
    // Older last term, even with a longer log.
    expect(vote(2, 4, 9, 1).reject).toBe(true);
    // Same last term and at least as long: granted.
    expect(vote(1, 5, 3, 2).reject).toBe(false);
    // A later last term wins whatever the length (a new term, so a new vote).
    expect(vote(2, 6, 1, 3).reject).toBe(false);
  });

  it('a leader steps down on seeing a higher term', () => {
    const c = new Cluster();
    c.elect(1);
    c.stepInto(msg({ type: MessageType.AppResp, from: 2, to: 1, term: 7 }));
    expect(c.status(1)).toMatchObject({ role: Role.Follower, term: 7, leader: 0 });
  });

  it('a candidate steps down on seeing a leader of a higher or equal term', () => {
    const c = new Cluster({ config: { preVote: false } });
    c.cut(1, 2, 3);
    c.campaign(1);
    expect(c.status(1)).toMatchObject({ role: Role.Candidate, term: 1 });
    c.stepInto(msg({ type: MessageType.Heartbeat, from: 2, to: 1, term: 1 }));
    expect(c.status(1)).toMatchObject({ role: Role.Follower, term: 1, leader: 2 });
    c.campaign(1);
    expect(c.status(1)).toMatchObject({ role: Role.Candidate, term: 2 });
    c.stepInto(msg({ type: MessageType.Heartbeat, from: 3, to: 1, term: 5 }));
    expect(c.status(1)).toMatchObject({ role: Role.Follower, term: 5, leader: 3 });
  });
});

describe('pre-vote and check-quorum (thesis §9.6)', () => {
  it('a partitioned node that rejoins neither bumps the term nor disrupts the leader', () => {
    const c = new Cluster();
    c.elect(1);
    c.isolate(3);
    c.tick(10 * T);
    // Campaigning alone, node 3 only ever pre-voted: its term did not move.
    expect(c.status(3).term).toBe(1);
    expect(c.status(3).role).toBe(Role.PreCandidate);
    c.heal();
    c.tick(3 * T);
    expect(c.status(1)).toMatchObject({ role: Role.Leader, term: 1 });
    expect(c.status(3)).toMatchObject({ role: Role.Follower, term: 1, leader: 1 });
  });

  it('without pre-vote the same partition forces an election at a higher term', () => {
    const c = new Cluster({ config: { preVote: false, checkQuorum: false } });
    c.elect(1);
    c.isolate(3);
    c.tick(3 * T, [3]);
    expect(c.status(3).term).toBeGreaterThan(1);
    c.heal();
    c.tick(3 * T);
    expect(c.status(1).term).toBeGreaterThan(1);
  });

  it('a leader that hears from no quorum for an election timeout steps down', () => {
    const c = new Cluster();
    c.elect(1);
    c.isolate(1);
    c.tick(T - 1, [1]);
    expect(c.status(1).role).toBe(Role.Leader);
    c.tick(T + 1, [1]);
    expect(c.status(1)).toMatchObject({ role: Role.Follower, term: 1, leader: 0 });
  });

  it('a follower within its leader lease ignores vote requests, but not a transfer campaign', () => {
    const c = new Cluster();
    c.elect(1);
    c.stepInto(msg({ type: MessageType.Vote, from: 2, to: 3, term: 5, index: 1, logTerm: 1 }));
    expect(c.node(3).hasReady()).toBe(false);
    expect(c.status(3)).toMatchObject({ term: 1, leader: 1 });

    c.stepInto(msg({ type: MessageType.Vote, from: 2, to: 3, term: 5, index: 1, logTerm: 1, context: TRANSFER_CONTEXT }));
    expect(c.status(3)).toMatchObject({ term: 5, vote: 2 });
    expect(c.handleReady(3)!.messages).toMatchObject([{ type: MessageType.VoteResp, to: 2, reject: false, term: 5 }]);
  });
});
