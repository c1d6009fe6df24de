import { describe, expect, it } from 'vitest';
import { NotLeaderError, Role } from '../src/index.js';
import { expectConsistentLogs } from './support/assertions.js';
import { TestCluster, command, stopClustersAfterEach } from './support/cluster.js';

describe('leader election', () => {
  stopClustersAfterEach();

  it.each([3, 5])('a %i-node cluster elects one leader that every node follows', async (size) => {
    const cluster = await TestCluster.start(size);
    const leader = await cluster.leader();
    for (const member of cluster.running) {
      const status = member.node.currentStatus;
      expect(status.leader).toBe(leader.id);
      expect(status.role).toBe(member.id === leader.id ? Role.Leader : Role.Follower);
      expect(status.lifecycle).toBe('running');
    }
  });

  it('elects a new leader when the leader stops, and loses no committed entry', async () => {
    const cluster = await TestCluster.start(3);
    const first = await cluster.leader();
    const before = await Promise.all(Array.from({ length: 20 }, (_, i) => first.node.propose(command(i))));
    await cluster.stopNode(first.id);

    const survivors = cluster.ids.filter((id) => id !== first.id);
    const second = await cluster.leader(survivors);
    expect(second.id).not.toBe(first.id);
    const after = await Promise.all(Array.from({ length: 20 }, (_, i) => second.node.propose(command(100 + i))));
    await cluster.applied(after.at(-1)!.index, survivors);

    for (const member of cluster.running) {
      const values = member.stateMachine.values;
      expect(values).toEqual([...Array.from({ length: 20 }, (_, i) => i), ...Array.from({ length: 20 }, (_, i) => 100 + i)]);
    }
    expect(before.at(-1)!.index).toBeLessThan(after[0]!.index);
    expectConsistentLogs(cluster.running);
  });

  it('transfers leadership to a chosen node', async () => {
    const cluster = await TestCluster.start(3);
    const leader = await cluster.leader();
    await leader.node.propose(command(1));
    const target = cluster.ids.find((id) => id !== leader.id)!;
    await leader.node.transferLeadership(target);
    const next = await cluster.leader();
    expect(next.id).toBe(target);
    const position = await next.node.propose(command(2));
    await cluster.applied(position.index);
    expectConsistentLogs(cluster.running);
  });

  it('refuses a leadership transfer asked of a follower, naming the leader', async () => {
    const cluster = await TestCluster.start(3);
    const leader = await cluster.leader();
    const follower = cluster.running.find((member) => member.id !== leader.id)!;
    const error = await follower.node.transferLeadership(leader.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotLeaderError);
    expect(error).toMatchObject({ leader: leader.id });
  });
});
