import { describe, expect, it } from 'vitest';
import { NotLeaderError, OutcomeUnknownError, Role } from '../src/index.js';
import { expectConsistentLogs } from './support/assertions.js';
import { TestCluster, command, stopClustersAfterEach } from './support/cluster.js';

describe('a leader partitioned with a minority', () => {
  stopClustersAfterEach();

  it('never reports a definite failure for what commits; the majority continues; the old leader rejoins', async () => {
    const cluster = await TestCluster.start(5, { proposalTimeoutMs: 400 });
    const oldLeader = await cluster.leader();
    await oldLeader.node.propose(command(1));
    const companion = cluster.ids.find((id) => id !== oldLeader.id)!;
    const majority = cluster.ids.filter((id) => id !== oldLeader.id && id !== companion);
    cluster.network.partition([oldLeader.id, companion], majority);

    // Appended by the old leader, but unable to commit in the minority.
    // Settled as they come (they are answered while the test goes on), inspected at the end.
    const stranded = Promise.allSettled(Array.from({ length: 10 }, (_, i) => oldLeader.node.propose(command(100 + i))));
    const newLeader = await cluster.leader(majority);
    const committed = await Promise.all(Array.from({ length: 10 }, (_, i) => newLeader.node.propose(command(200 + i))));

    // With checkQuorum the old leader notices it lost the quorum and steps down.
    await cluster.until('the old leader to step down', () => oldLeader.node.currentStatus.role !== Role.Leader);
    const refused = await oldLeader.node.propose(command(300)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotLeaderError);

    cluster.network.heal();
    const leader = await cluster.leader();
    expect(majority).toContain(leader.id);
    const last = await leader.node.propose(command(400));
    await cluster.applied(last.index);

    const finalValues = leader.stateMachine.values;
    for (const member of cluster.running) expect(member.stateMachine.values).toEqual(finalValues);
    for (const position of committed) expect(position.term).toBeGreaterThan(0);
    expect(finalValues).toEqual(expect.arrayContaining([...Array.from({ length: 10 }, (_, i) => 200 + i), 400]));
    expect(finalValues).not.toContain(300);

    const outcomes = await stranded;
    outcomes.forEach((outcome, i) => {
      const value = 100 + i;
      if (outcome.status === 'fulfilled') expect(finalValues).toContain(value);
      else if (!(outcome.reason instanceof OutcomeUnknownError)) expect(finalValues).not.toContain(value);
    });
    // The stranded entries never reached a majority, so they were replaced everywhere.
    for (let i = 0; i < 10; i++) expect(finalValues).not.toContain(100 + i);
    expectConsistentLogs(cluster.running);
  });
});
