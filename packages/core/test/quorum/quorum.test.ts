import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jointCommitted, jointVoteResult } from '../../src/quorum/joint.js';
import { majorityCommitted, majorityVoteResult } from '../../src/quorum/majority.js';
import { voters } from '../support/cluster.js';

/** Distinct voter ids (1..n) each with an acknowledged index. */
const acks = fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 9 }).map((indexes) => {
  const ids = indexes.map((_, i) => i + 1);
  return { ids, acked: (id: number) => indexes[id - 1]! };
});

/** The definition: the highest index at least a majority of voters have acknowledged. */
function committedByDefinition(ids: number[], acked: (id: number) => number): number {
  const quorum = Math.floor(ids.length / 2) + 1;
  const candidates = ids.map(acked).filter((index) => ids.filter((id) => acked(id) >= index).length >= quorum);
  return Math.max(...candidates);
}

describe('quorum arithmetic', () => {
  it('majorityCommitted is the highest index a majority has acknowledged (odd and even sizes)', () => {
    fc.assert(
      fc.property(acks, ({ ids, acked }) => {
        expect(majorityCommitted(ids, acked)).toBe(committedByDefinition(ids, acked));
      }),
    );
  });

  it('an even-sized cluster needs more than half: [1, 2, 3, 4] acknowledging [5, 5, 0, 0] commits nothing', () => {
    const acked = [5, 5, 0, 0];
    expect(majorityCommitted([1, 2, 3, 4], (id) => acked[id - 1]!)).toBe(0);
  });

  it('a joint configuration commits what both majorities have acknowledged', () => {
    fc.assert(
      fc.property(acks, fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }), ({ ids, acked }, inOutgoing) => {
        const outgoing = ids.filter((_, i) => inOutgoing[i]);
        const conf = { ...voters(...ids), votersOutgoing: outgoing };
        const expected =
          outgoing.length === 0
            ? committedByDefinition(ids, acked)
            : Math.min(committedByDefinition(ids, acked), committedByDefinition(outgoing, acked));
        expect(jointCommitted(conf, acked)).toBe(expected);
      }),
    );
  });

  it('an election is won by a majority of grants, lost once a majority can no longer grant', () => {
    const ballots = fc.array(fc.constantFrom(true, false, undefined), { minLength: 1, maxLength: 9 });
    fc.assert(
      fc.property(ballots, (ballot) => {
        const ids = ballot.map((_, i) => i + 1);
        const votes = new Map<number, boolean>();
        ballot.forEach((vote, i) => vote !== undefined && votes.set(i + 1, vote));
        const quorum = Math.floor(ids.length / 2) + 1;
        const granted = ballot.filter((v) => v === true).length;
        const possible = ballot.filter((v) => v !== false).length;
        const expected = granted >= quorum ? 'won' : possible >= quorum ? 'pending' : 'lost';
        expect(majorityVoteResult(ids, votes)).toBe(expected);
        // A joint configuration of the same voters on both sides decides the same way.
        expect(jointVoteResult({ ...voters(...ids), votersOutgoing: ids }, votes)).toBe(expected);
      }),
    );
  });
});
