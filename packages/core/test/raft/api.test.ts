import { describe, expect, it } from 'vitest';
import { NotLeaderError, RawNode, seededRandom, type PersistedState, type RaftConfig } from '@raft/core';
import { Cluster, entriesWithTerms, voters } from '../support/cluster.js';

const empty: PersistedState = { hardState: { term: 0, vote: 0, commit: 0 }, snapshot: undefined, entries: [] };
const base: RaftConfig = { id: 1, electionTicks: 10, heartbeatTicks: 1, random: seededRandom(1) };
const build = (config: Partial<RaftConfig>, persisted = empty) => new RawNode({ ...base, ...config }, persisted, voters(1, 2, 3));

describe('RawNode API', () => {
  it('a proposal on a follower throws NotLeaderError naming the leader', () => {
    const c = new Cluster();
    expect(() => c.propose(2, 'x')).toThrow(/no leader is known yet/);
    c.elect(1);
    let error: unknown;
    try {
      c.propose(2, 'x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotLeaderError);
    expect((error as NotLeaderError).leader).toBe(1);
    expect((error as Error).message).toMatch(/node 1 is the leader, retry there/);
  });

  it('ready() twice without advance() throws', () => {
    const c = new Cluster();
    const node = c.node(1);
    node.campaign();
    node.ready();
    expect(() => node.ready()).toThrow(/before advance\(\) of the previous Ready/);
  });

  it('advance() with another object than the outstanding Ready throws', () => {
    const node = new Cluster().node(1);
    node.campaign();
    const ready = node.ready();
    expect(() => node.advance({ ...ready })).toThrow(/the Ready returned by the last ready\(\) call/);
    node.advance(ready);
    expect(() => node.advance(ready)).toThrow(Error);
  });

  it.each([
    [{ id: 0 }, /RaftConfig\.id must be a positive integer/],
    [{ id: 1.5 }, /RaftConfig\.id/],
    [{ electionTicks: 0 }, /RaftConfig\.electionTicks must be a positive integer/],
    [{ heartbeatTicks: -1 }, /RaftConfig\.heartbeatTicks/],
    [{ electionTicks: 3, heartbeatTicks: 3 }, /electionTicks \(3\) must exceed heartbeatTicks \(3\)/],
    [{ maxInflight: 0 }, /RaftConfig\.maxInflight/],
    [{ maxMessageBytes: Number.NaN }, /RaftConfig\.maxMessageBytes/],
    [{ maxApplyBytes: 0 }, /RaftConfig\.maxApplyBytes/],
    [{ applied: -1 }, /RaftConfig\.applied must be a non-negative integer/],
  ])('rejects the invalid config %o with a RangeError naming the field', (config, message) => {
    expect(() => build(config)).toThrow(RangeError);
    expect(() => build(config)).toThrow(message);
  });

  it('rejects a random source that is not a function with a TypeError', () => {
    expect(() => build({ random: 4 as unknown as () => number })).toThrow(/RaftConfig\.random must be a function/);
  });

  it('rejects persisted state that contradicts itself', () => {
    expect(() => build({}, { ...empty, hardState: { term: 1, vote: 0, commit: 2 }, entries: entriesWithTerms([1]) })).toThrow(
      /commit index 2 is past the last stored entry 1/,
    );
    expect(() => build({}, { ...empty, entries: entriesWithTerms([1], 3) })).toThrow(/persisted log starts at 3, expected 1/);
  });
});
