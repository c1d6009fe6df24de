import { describe, expect, it } from 'vitest';
import { Simulation, formatEvent, livenessBoundTicks } from '../src/index.js';
import type { SimulationOptions } from '../src/index.js';

function traceOf(options: SimulationOptions, steps: number): string[] {
  const lines: string[] = [];
  const simulation = new Simulation({ ...options, detail: true, onEvent: (e) => lines.push(formatEvent(e)) });
  simulation.run(steps);
  simulation.checkLiveness();
  return lines;
}

/** A calm cluster with an elected leader, for scenarios that drive it by hand. */
function calmClusterWithLeader(seed: number) {
  const simulation = new Simulation({
    seed,
    nodes: 3,
    faults: { crashWeight: 0, partitionWeight: 0, crashMidWrite: 0, clockSkew: 0 },
  });
  simulation.checkLiveness();
  const { cluster } = simulation;
  const leader = cluster.nodes.find((n) => n.role === 'leader');
  if (leader === undefined) throw new Error('checkLiveness returned without a leader');
  return { simulation, cluster, leader };
}

describe('Simulation', () => {
  it('replays a seed exactly: same seed, same trace, message by message', () => {
    const options = { seed: 42, nodes: 5 };
    const first = traceOf(options, 1_500);
    expect(first.length).toBeGreaterThan(1_000);
    expect(traceOf(options, 1_500)).toEqual(first);
    expect(traceOf({ seed: 43, nodes: 5 }, 1_500)).not.toEqual(first);
  });

  it('loses on a crash whatever the node had not persisted', () => {
    const { cluster, leader } = calmClusterWithLeader(3);
    const placed = cluster.propose(leader, 'never-persisted');
    expect(placed).toBeDefined();
    const index = (placed as { index: number }).index;
    expect(leader.dirty).toBe(true);
    cluster.crash(leader);
    cluster.restart(leader);
    expect(leader.storage.entryAt(index)).toBeUndefined();
    expect(leader.running.status().lastIndex).toBe(index - 1);
  });

  it('keeps across a crash what the node had persisted: log, term and vote', () => {
    const { cluster, leader } = calmClusterWithLeader(4);
    const placed = cluster.propose(leader, 'persisted') as { index: number; term: number };
    cluster.handleReady(leader);
    const follower = cluster.nodes.find((n) => n.id !== leader.id);
    if (follower === undefined) throw new Error('no follower in a 3-node cluster');
    const before = follower.running.status();
    cluster.crash(leader);
    cluster.crash(follower);
    cluster.restart(leader);
    cluster.restart(follower);
    expect(leader.running.status().lastIndex).toBe(placed.index);
    expect(leader.storage.entryAt(placed.index)?.term).toBe(placed.term);
    expect(follower.running.status()).toMatchObject({ term: before.term, vote: before.vote });
  });

  it('recovers within the documented bound once every fault heals', () => {
    const simulation = new Simulation({ seed: 11, nodes: 7, faults: { crashWeight: 1, partitionWeight: 0.5, healWeight: 0.05 } });
    simulation.run(3_000);
    const { leaderAfterTicks, committedAfterTicks } = simulation.checkLiveness();
    expect(simulation.livenessBound).toBe(livenessBoundTicks(10));
    expect(leaderAfterTicks).toBeLessThanOrEqual(committedAfterTicks);
    expect(committedAfterTicks).toBeLessThanOrEqual(simulation.livenessBound);
    expect(simulation.summary()).toMatchObject({ seed: 11, nodes: 7, liveness: { leaderAfterTicks, committedAfterTicks } });
  });

  it('rejects a cluster size that is not a positive integer', () => {
    expect(() => new Simulation({ seed: 1, nodes: 0 })).toThrow('nodes must be a positive integer, got 0');
  });
});
