import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Role, seededRandom, type Entry } from '@raft/core';
import { Cluster } from '../support/cluster.js';

const IDS = [1, 2, 3, 4, 5];
const node = fc.constantFrom(...IDS);

type Action =
  | { kind: 'tick'; times: number }
  | { kind: 'propose' }
  | { kind: 'cut'; a: number; b: number }
  | { kind: 'lossy'; rate: number }
  | { kind: 'heal' }
  | { kind: 'crash'; id: number; tornBack: number }
  | { kind: 'restart'; id: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('tick' as const), times: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'propose' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), a: node, b: node }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lossy' as const), rate: fc.double({ min: 0, max: 0.5, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'heal' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const), id: node, tornBack: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('restart' as const), id: node }) },
);

/**
 * Plays `actions` on a five-node cluster and checks Raft's safety properties (Figure 3) after each.
 * @returns how many entries were applied, to show the schedules exercise commitment at all.
 */
function play(seed: number, preVote: boolean, actions: readonly Action[]): number {
  const c = new Cluster({ ids: IDS, seed, config: { preVote, checkQuorum: preVote } });
  const random = seededRandom(seed);
  const down = new Set<number>();
  const leaderOfTerm = new Map<number, number>();
  const committed = new Map<number, Entry>();
  /** For each applied index, the highest term any node had reached when it was first seen applied. */
  const committedBy = new Map<number, number>();
  let proposals = 0;
  for (const a of actions) {
    switch (a.kind) {
      case 'tick':
        c.tick(a.times, IDS.filter((id) => !down.has(id)));
        break;
      case 'propose':
        for (const id of IDS) if (!down.has(id) && c.status(id).role === Role.Leader) c.propose(id, `cmd ${proposals++}`);
        c.stabilize();
        break;
      case 'cut':
        if (a.a !== a.b) c.cut(a.a, a.b);
        break;
      case 'lossy':
        c.drop(() => random() < a.rate);
        break;
      case 'heal':
        c.heal();
        break;
      case 'crash':
        if (down.has(a.id)) break;
        // Deliver what is in flight, then crash before the resulting Ready is fully persisted.
        c.deliver();
        c.crash(a.id, c.status(a.id).lastIndex - a.tornBack);
        down.add(a.id);
        break;
      case 'restart':
        if (!down.delete(a.id)) break;
        c.restart(a.id);
        c.stabilize();
        break;
    }
    const highestTerm = Math.max(...IDS.filter((id) => !down.has(id)).map((id) => c.status(id).term));
    for (const id of IDS) {
      if (down.has(id)) continue;
      const s = c.status(id);
      // Election Safety: at most one leader per term.
      if (s.role === Role.Leader) {
        expect(leaderOfTerm.get(s.term) ?? id, `two leaders in term ${s.term}`).toBe(id);
        leaderOfTerm.set(s.term, id);
      }
      // State Machine Safety: every node applies the same entry at each index.
      for (const e of c.applied.get(id)!) {
        const first = committed.get(e.index) ?? e;
        committed.set(e.index, first);
        if (!committedBy.has(e.index)) committedBy.set(e.index, highestTerm);
        expect([e.term, e.data], `node ${id} applied another entry at ${e.index}`).toEqual([first.term, first.data]);
      }
    }
    // Leader Completeness: the leader of any later term holds every committed entry. (A stale
    // leader of an earlier term, cut off from the new one, may well lack it.)
    for (const id of IDS) {
      const s = down.has(id) ? undefined : c.status(id);
      if (s?.role !== Role.Leader || c.node(id).hasReady()) continue;
      const terms = c.persistedTerms(id);
      for (const [index, e] of committed) {
        if (s.term > committedBy.get(index)!) expect(terms[index - 1], `leader ${id} lacks committed ${index}`).toBe(e.term);
      }
    }
  }
  return committed.size;
}

describe('safety under partitions, message loss, crashes with torn writes, and restarts', () => {
  it.each([true, false])('holds for random schedules (pre-vote and check-quorum: %s)', (preVote) => {
    let applied = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(action, { minLength: 20, maxLength: 120 }), (seed, actions) => {
        applied += play(seed, preVote, actions);
      }),
      { numRuns: 60 },
    );
    expect(applied).toBeGreaterThan(60);
  });
});
