import { describe, expect, it } from 'vitest';
import { ConfChangeTransition, ConfChangeType, EntryType, MessageType, Role, type ConfState, type Entry, type PersistedState } from '@raft/core';
import { encodeConfChange } from '@raft/core/codec';
import { Cluster, entriesWithTerms } from '../support/cluster.js';
import { msg } from '../support/messages.js';

const T = 10;

function conf(voters: number[], votersOutgoing: number[] = []): ConfState {
  return { voters, learners: [], votersOutgoing, learnersNext: [], autoLeave: false };
}

/** The entry that leaves a joint configuration, at index 11 of term 2. */
const LEAVE_JOINT: Entry = {
  index: 11,
  term: 2,
  type: EntryType.ConfChange,
  data: encodeConfChange({ transition: ConfChangeTransition.JointExplicit, changes: [], context: new Uint8Array(0) }),
};

/**
 * Node 3 led the joint configuration {1, 2} & {2, 3}, which removes it. Nodes 1 and 2 hold the
 * entry leaving it but never heard that it was committed. Node 3 committed and applied it (it is
 * no longer a voter), appended two entries no one else has, and crashed before handing leadership
 * over. Under the joint configuration, 1 and 2 each need 3's vote, which its longer log refuses.
 */
function removedLeaderWithLongerLog(): Record<number, PersistedState> {
  const stillJoint: PersistedState = { hardState: { term: 2, vote: 0, commit: 10 }, snapshot: { index: 10, term: 1, conf: conf([1, 2], [2, 3]) }, entries: [LEAVE_JOINT] };
  return {
    1: stillJoint,
    2: stillJoint,
    3: { hardState: { term: 2, vote: 0, commit: 11 }, snapshot: { index: 11, term: 2, conf: conf([1, 2]) }, entries: entriesWithTerms([2, 2], 12) },
  };
}

describe('membership changes (thesis §4)', () => {
  it('a refused vote tells the candidate the refuser\'s commit index and the term of its entry there', () => {
    const c = new Cluster({ persisted: removedLeaderWithLongerLog() });
    c.stepInto(msg({ type: MessageType.Vote, from: 1, to: 3, term: 3, index: 11, logTerm: 2 }));
    expect(c.handleReady(3)!.messages).toEqual([expect.objectContaining({ type: MessageType.VoteResp, to: 1, reject: true, commit: 11, logTerm: 2 })]);
  });

  it('a candidate learns entries it holds are committed from a refusal whose entry there matches, and only then', () => {
    for (const [logTerm, committed] of [[2, 11], [3, 10]] as const) {
      const c = new Cluster({ config: { preVote: false }, persisted: removedLeaderWithLongerLog() });
      c.node(1).campaign();
      c.node(1).step(msg({ type: MessageType.VoteResp, from: 3, to: 1, term: 3, reject: true, commit: 11, logTerm }));
      expect(c.status(1).commit, `refusal with logTerm ${logTerm}`).toBe(committed);
    }
  });

  it('a candidate that learns from a refusal that its own removal is committed stands down instead of winning without being a member', () => {
    // Found by the simulator (seeds 309058 and 314939 on 5 nodes) when candidates first learned
    // commit indexes: the removal was applied mid-election, and the votes that followed made a
    // leader of a node outside its own configuration.
    const removal: Entry = {
      index: 11,
      term: 2,
      type: EntryType.ConfChange,
      data: encodeConfChange({ transition: ConfChangeTransition.Auto, changes: [{ type: ConfChangeType.RemoveNode, node: 1 }], context: new Uint8Array(0) }),
    };
    const disk = (commit: number): PersistedState => ({ hardState: { term: 2, vote: 0, commit }, snapshot: { index: 10, term: 1, conf: conf([1, 2, 3, 4, 5]) }, entries: [removal] });
    const c = new Cluster({ ids: [1, 2, 3, 4, 5], config: { preVote: false }, persisted: { 1: disk(10), 2: disk(10), 3: disk(10), 4: disk(10), 5: disk(11) } });
    c.node(1).campaign();
    c.node(1).step(msg({ type: MessageType.VoteResp, from: 5, to: 1, term: 3, reject: true, commit: 11, logTerm: 2 }));
    expect(c.status(1)).toMatchObject({ role: Role.Follower, commit: 11 });
    c.handleReady(1);
    expect(c.status(1).conf).toEqual(conf([2, 3, 4, 5]));
    for (const from of [2, 3, 4]) c.node(1).step(msg({ type: MessageType.VoteResp, from, to: 1, term: 3 }));
    expect(c.status(1).role).toBe(Role.Follower);
  });

  for (const preVote of [false, true]) {
    it(`nodes still in a joint configuration elect a leader when the removed node whose vote they need holds a longer log (pre-vote ${preVote ? 'on' : 'off'})`, () => {
      // Found by the simulator (seeds 302865 and 315414 on 3 nodes, 3000 steps): node 3, no longer a
      // voter, never campaigns, and refused the others forever.
      const c = new Cluster({ config: { preVote }, persisted: removedLeaderWithLongerLog() });
      c.tick(10 * T);
      const leaders = c.ids.filter((id) => c.status(id).role === Role.Leader);
      expect(leaders).toHaveLength(1);
      expect([1, 2]).toContain(leaders[0]);
      for (const id of [1, 2]) expect(c.status(id).conf).toEqual(conf([1, 2]));
    });
  }
});
