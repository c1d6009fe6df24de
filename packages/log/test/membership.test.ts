import { describe, expect, it } from 'vitest';
import { NotLeaderError, Role } from '../src/index.js';
import { expectConsistentLogs } from './support/assertions.js';
import { TestCluster, command, stopClustersAfterEach } from './support/cluster.js';

describe('membership changes', () => {
  stopClustersAfterEach();

  it('adds a learner, promotes it, then removes the leader, while writes go on and nothing is lost', async () => {
    const cluster = await TestCluster.start(3);
    let leader = await cluster.leader();
    const written: number[] = [];
    const write = async (value: number) => {
      await leader.node.propose(command(value));
      written.push(value);
    };
    for (let i = 0; i < 5; i++) await write(i);

    const joiner = await cluster.startNode(4, { join: true });
    expect(joiner.node.currentStatus.role).toBe(Role.Follower);
    await leader.node.addLearner(4);
    for (let i = 5; i < 10; i++) await write(i);
    await cluster.until('node 4 to catch up as a learner', () => joiner.stateMachine.values.length === written.length);
    expect(joiner.node.currentStatus.conf).toMatchObject({ voters: [1, 2, 3], learners: [4] });

    await leader.node.addVoter(4);
    expect(leader.node.currentStatus.conf).toMatchObject({ voters: [1, 2, 3, 4], learners: [] });
    for (let i = 10; i < 15; i++) await write(i);

    const removed = leader;
    await removed.node.removeNode(removed.id);
    const remaining = cluster.ids.concat(4).filter((id) => id !== removed.id);
    leader = await cluster.leader(remaining);
    // The successor may win its election before it has applied the removal that made it run.
    const successor = leader;
    await cluster.until('the new leader to apply the removal', () => successor.node.currentStatus.conf.voters.length === remaining.length);
    expect(leader.node.currentStatus.conf.voters).toEqual(remaining);
    for (let i = 15; i < 20; i++) await write(i);
    await cluster.until('every remaining member to apply every write', () =>
      remaining.every((id) => cluster.member(id).stateMachine.values.length === written.length),
    );
    for (const id of remaining) expect(cluster.member(id).stateMachine.values).toEqual(written);
    expect(removed.node.currentStatus.role).not.toBe(Role.Leader);
    expectConsistentLogs(remaining.map((id) => cluster.member(id)));
  });

  it('refuses a membership change on a follower, naming the leader', async () => {
    const cluster = await TestCluster.start(3);
    const leader = await cluster.leader();
    const follower = cluster.running.find((member) => member.id !== leader.id)!;
    const refused = await follower.node.addLearner(9).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotLeaderError);
    expect((refused as NotLeaderError).leader).toBe(leader.id);
  });
});
