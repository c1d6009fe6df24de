import { describe, expect, it } from 'vitest';
import { MessageType, Role } from '@raft/core';
import { Cluster } from '../support/cluster.js';
import { msg } from '../support/messages.js';

/**
 * Raft paper, Figure 8: why a leader may not commit an entry of an earlier term by counting
 * replicas. The paper's basic algorithm (no pre-vote, no check-quorum) and five servers; every log
 * starts with the entry of term 1 at index 1.
 */
const S = [1, 2, 3, 4, 5];
const isApp = (m: { type: MessageType }) => m.type === MessageType.App;

function logs(c: Cluster, ids = S): Record<number, number[]> {
  return Object.fromEntries(ids.map((id) => [id, c.persistedTerms(id)]));
}

/** Plays (a) to (c) and returns the cluster in state (c), checking each state on the way. */
function toStateC(): Cluster {
  const c = new Cluster({ ids: S, config: { preVote: false, checkQuorum: false } });
  c.elect(2);
  // A leader tells followers its commit index lazily: at the latest, at its next tick.
  c.tick(1, [2]);
  expect(logs(c)).toEqual({ 1: [1], 2: [1], 3: [1], 4: [1], 5: [1] });
  for (const id of S) expect(c.status(id).commit).toBe(1);

  // (a) S1 leads term 2 and replicates index 2 to S2 only.
  c.drop((m) => isApp(m) && m.from === 1 && m.to !== 2);
  c.elect(1);
  expect(c.status(1)).toMatchObject({ term: 2, commit: 1 });
  expect(logs(c)).toEqual({ 1: [1, 2], 2: [1, 2], 3: [1], 4: [1], 5: [1] });

  // (b) S1 crashes; S5 is elected for term 3 by S3, S4 and itself and accepts index 2, alone.
  c.crash(1);
  c.heal();
  c.drop((m) => isApp(m) && m.from === 5);
  c.elect(5);
  expect(c.status(5).term).toBe(3);
  expect(logs(c, [2, 3, 4, 5])).toEqual({ 2: [1, 2], 3: [1], 4: [1], 5: [1, 3] });

  // (c) S5 crashes; S1 restarts and wins term 4 (its term-3 attempt stalls: S3 and S4 voted for S5).
  c.crash(5);
  c.heal();
  c.restart(1);
  c.hold((m) => isApp(m) && m.from === 1);
  c.campaign(1);
  expect(c.status(1)).toMatchObject({ role: Role.Candidate, term: 3 });
  c.elect(1);
  expect(c.status(1).term).toBe(4);
  // S1 carries its term-2 entry to S3: the probe at index 2 is refused, the repair sends [2, 3].
  c.stepInto(c.held.find((m) => m.to === 3)!);
  c.stabilize();
  const repair = c.held.findLast((m) => m.to === 3)!;
  expect(repair.entries.map((e) => [e.index, e.term])).toEqual([
    [2, 2],
    [3, 4],
  ]);
  c.stepInto(repair);
  // S3 crashes while writing: only index 2 reached its disk, and it never acknowledged anything.
  c.crash(3, 2);
  c.restart(3);
  expect(logs(c, [1, 2, 3, 4])).toEqual({ 1: [1, 2, 4], 2: [1, 2], 3: [1, 2], 4: [1] });
  return c;
}

describe('Figure 8: committing entries from previous terms (§5.4.2)', () => {
  it('(c) the leader of term 4 does not commit its term-2 entry, although a majority stores it', () => {
    const c = toStateC();
    // Even told that S2 and S3 hold index 2, S1 (term 4) must not count replicas of a term-2 entry.
    c.stepInto(msg({ type: MessageType.AppResp, from: 2, to: 1, term: 4, index: 2 }));
    c.stepInto(msg({ type: MessageType.AppResp, from: 3, to: 1, term: 4, index: 2 }));
    expect(c.status(1).progress!.get(2)!.match).toBe(2);
    expect(c.status(1).progress!.get(3)!.match).toBe(2);
    expect(c.status(1).commit).toBe(1);
  });

  it('(d) so S5 may still win term 5 and overwrite index 2 everywhere, and nobody ever applied it', () => {
    const c = toStateC();
    c.crash(1);
    c.heal();
    c.restart(5);
    // Term 4: S2, S3 and S4 already voted for S1. Term 5: they vote for S5, whose last term 3 beats 2.
    c.campaign(5);
    c.elect(5);
    expect(c.status(5).term).toBe(5);
    expect(logs(c, [2, 3, 4, 5])).toEqual({ 2: [1, 3, 5], 3: [1, 3, 5], 4: [1, 3, 5], 5: [1, 3, 5] });
    expect(c.status(5).commit).toBe(3);
    for (const id of [2, 3, 4, 5]) expect(c.applied.get(id)!.some((e) => e.term === 2)).toBe(false);
  });

  it('(e) once S1 commits an entry of term 4, the term-2 entry before it is committed too and S5 cannot win', () => {
    const c = toStateC();
    expect(c.status(1).commit).toBe(1);
    c.heal();
    c.cut(1, 4);
    c.tick(1, [1]);
    expect(logs(c, [1, 2, 3])).toEqual({ 1: [1, 2, 4], 2: [1, 2, 4], 3: [1, 2, 4] });
    expect(c.status(1).commit).toBe(3);
    // S1 restarted in (c), so its state machine replays index 1 before the newly committed entries.
    expect(c.applied.get(1)!.map((e) => [e.index, e.term])).toEqual([
      [1, 1],
      [2, 2],
      [3, 4],
    ]);

    c.crash(1);
    c.restart(5);
    c.campaign(5);
    c.campaign(5);
    // S2 and S3 refuse: their last term 4 is newer than S5's 3.
    expect(c.status(5).role).not.toBe(Role.Leader);
    expect(c.persistedTerms(2)).toEqual([1, 2, 4]);
    expect(c.persistedTerms(3)).toEqual([1, 2, 4]);
  });
});
