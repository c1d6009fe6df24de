import { describe, expect, it } from 'vitest';
import { MessageType, RawNode, Role, seededRandom } from '@raft/core';
import { Cluster, voters } from '../support/cluster.js';

const ctx = (s: string) => new TextEncoder().encode(s);

describe('linearizable reads with ReadIndex (thesis §6.4)', () => {
  it('the leader answers only after a heartbeat quorum acknowledges it is still leader', () => {
    const c = new Cluster();
    c.elect(1);
    c.node(1).readIndex(ctx('r1'));
    const asked = c.handleReady(1)!;
    expect(asked.readStates).toEqual([]);
    expect(asked.messages).toMatchObject([
      { type: MessageType.Heartbeat, to: 2, context: ctx('r1') },
      { type: MessageType.Heartbeat, to: 3, context: ctx('r1') },
    ]);
    c.deliver();
    c.handleReady(2);
    expect(c.reads.get(1)).toEqual([]);
    // The first acknowledgement makes a quorum with the leader itself.
    c.deliver();
    expect(c.handleReady(1)!.readStates).toEqual([{ index: 1, context: ctx('r1') }]);
  });

  it('a leader defers reads until it has committed an entry of its own term', () => {
    const c = new Cluster();
    c.drop((m) => m.type === MessageType.App && m.from === 1);
    c.elect(1);
    expect(c.status(1).commit).toBe(0);
    c.node(1).readIndex(ctx('early'));
    c.tick(3);
    expect(c.reads.get(1)).toEqual([]);
    c.heal();
    c.tick(1);
    expect(c.status(1).commit).toBe(1);
    expect(c.reads.get(1)).toEqual([{ index: 1, context: ctx('early') }]);
  });

  it('a follower’s read is forwarded and answered with the leader’s commit index', () => {
    const c = new Cluster();
    c.elect(1);
    c.propose(1, 'x');
    c.stabilize();
    c.node(2).readIndex(ctx('f'));
    c.stabilize();
    expect(c.sentOf(MessageType.ReadIndex, 2, 1)).toHaveLength(1);
    expect(c.sentOf(MessageType.ReadIndexResp, 1, 2)).toHaveLength(1);
    expect(c.reads.get(2)).toEqual([{ index: 2, context: ctx('f') }]);
  });

  it('a follower that knows no leader refuses the read', () => {
    const c = new Cluster();
    expect(() => c.node(2).readIndex(ctx('r'))).toThrow(/no leader is known/);
  });

  it('in lease mode the leader answers at once, without a heartbeat round, while it holds the lease', () => {
    const c = new Cluster({ config: { readOnly: 'lease' } });
    c.elect(1);
    // The lease starts with the first heartbeat a quorum acknowledges.
    c.tick(1);
    c.node(1).readIndex(ctx('lease'));
    const ready = c.handleReady(1)!;
    expect(ready.readStates).toEqual([{ index: 1, context: ctx('lease') }]);
    expect(ready.messages).toEqual([]);
  });

  it('in lease mode a leader without a lease yet confirms the read with a heartbeat round', () => {
    const c = new Cluster({ config: { readOnly: 'lease' } });
    c.elect(1);
    c.node(1).readIndex(ctx('new leader'));
    expect(c.handleReady(1)!.readStates).toEqual([]);
    c.stabilize();
    expect(c.reads.get(1)).toEqual([{ index: 1, context: ctx('new leader') }]);
  });

  it('in lease mode a leader cut off from the majority stops answering before another can be elected', () => {
    // Regression: the lease used to last as long as the check-quorum round, up to two election
    // timeouts after the last contact, while the others may elect a leader after one.
    for (let seed = 1; seed <= 20; seed++) {
      const c = new Cluster({ seed, config: { readOnly: 'lease' } });
      c.elect(1);
      c.tick(seed % 10);
      c.isolate(1);
      for (let t = 0; t < 40; t++) {
        c.tick(1);
        const successor = [2, 3].find((id) => c.status(id).role === Role.Leader);
        if (successor === undefined) {
          continue;
        }
        c.propose(successor, 'write');
        c.stabilize();
        if (c.status(1).role === Role.Leader) c.node(1).readIndex(ctx(`read ${t}`));
        c.stabilize();
        expect(c.reads.get(1), `seed ${seed}: a stale read after node ${successor} was elected`).toEqual([]);
        break;
      }
    }
  });

  it('in lease mode the lease ends a tick before a follower whose timer fired just after the heartbeat may vote', () => {
    // A follower counts the ticks since it last heard from the leader, and the first of them may
    // come a moment after the heartbeat: it may vote after T - 1 ticks of real time. Regression:
    // the lease lasted T of the leader's ticks, so for up to a tick two leaders could both serve.
    const T = 10;
    const c = new Cluster({ config: { readOnly: 'lease', electionTicks: T } });
    c.elect(1);
    c.tick(1);
    // Leader 1's heartbeat, acknowledged by both; their timers fire right after it, 1's does not.
    c.tick(1, [1]);
    c.tick(1, [2, 3]);
    c.isolate(1);
    // T - 1 ticks of everyone: the followers have counted T since they heard from 1.
    c.tick(T - 1);
    expect(c.status(1).role).toBe(Role.Leader);
    c.node(2).campaign();
    c.stabilize();
    expect(c.status(2).role).toBe(Role.Leader);
    c.propose(2, 'write');
    c.stabilize();
    c.node(1).readIndex(ctx('stale?'));
    c.stabilize();
    expect(c.reads.get(1)).toEqual([]);
  });

  it('in lease mode a restarted follower keeps the promise behind the leader’s lease', () => {
    // Regression: a follower that acknowledged the leader's heartbeat and then restarted forgot the
    // leader and granted its vote at once, so a new leader could commit while the old one still
    // answered lease reads.
    const c = new Cluster({ config: { readOnly: 'lease' } });
    c.elect(1);
    c.cut(1, 3);
    c.tick(20);
    // Node 2 keeps leader 1's lease alive: node 3, cut off from it, cannot win.
    expect(c.status(1).role).toBe(Role.Leader);
    expect(c.status(3).role).not.toBe(Role.Leader);
    // Node 2 acknowledges a heartbeat, loses its link to 1 and restarts; node 3's timer fires at once.
    c.tick(1);
    c.cut(1, 2);
    c.restart(2);
    for (let t = 0; t < 30; t++) {
      if (c.status(3).role !== Role.Leader) c.node(3).campaign();
      c.stabilize();
      if (c.status(3).role === Role.Leader) {
        c.propose(3, 'write');
        c.stabilize();
        if (c.status(1).role === Role.Leader) c.node(1).readIndex(ctx('stale?'));
        c.stabilize();
        break;
      }
      c.tick(1);
    }
    expect(c.status(3).role).toBe(Role.Leader);
    expect(c.reads.get(1)).toEqual([]);
  });

  it('a transfer gives up the lease: reads go through a heartbeat round', () => {
    const c = new Cluster({ config: { readOnly: 'lease' } });
    c.elect(1);
    c.tick(1);
    c.cut(1, 2);
    c.node(1).transferLeadership(2);
    c.node(1).readIndex(ctx('during transfer'));
    expect(c.handleReady(1)!.readStates).toEqual([]);
    c.stabilize();
    expect(c.reads.get(1)).toEqual([{ index: 1, context: ctx('during transfer') }]);
  });

  it('lease mode without check-quorum is a configuration error', () => {
    const config = { id: 1, electionTicks: 10, heartbeatTicks: 1, random: seededRandom(1), readOnly: 'lease', checkQuorum: false } as const;
    const empty = { hardState: { term: 0, vote: 0, commit: 0 }, snapshot: undefined, entries: [] };
    expect(() => new RawNode(config, empty, voters(1, 2, 3))).toThrow(RangeError);
    expect(() => new RawNode(config, empty, voters(1, 2, 3))).toThrow(/readOnly 'lease' needs checkQuorum/);
  });

  it('a deposed leader cut off from the majority never confirms a read', () => {
    const c = new Cluster();
    c.elect(1);
    c.isolate(1);
    c.tick(30, [2, 3]);
    expect([2, 3].some((id) => c.status(id).role === Role.Leader)).toBe(true);
    expect(c.status(1).role).toBe(Role.Leader);
    c.node(1).readIndex(ctx('stale'));
    c.tick(30, [1]);
    expect(c.reads.get(1)).toEqual([]);
    expect(c.status(1).role).toBe(Role.Follower);
  });
});
