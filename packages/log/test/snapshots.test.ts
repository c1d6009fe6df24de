import { describe, expect, it } from 'vitest';
import type { SnapshottingStateMachine} from './support/cluster.js';
import { TestCluster, command, stopClustersAfterEach } from './support/cluster.js';

describe('snapshots and log compaction', () => {
  stopClustersAfterEach();

  it('snapshots every N entries, compacts storage, and restarts from the snapshot', async () => {
    const cluster = await TestCluster.start(3, { snapshots: true, snapshotEntries: 20 });
    const leader = await cluster.leader();
    let last = 0;
    for (let i = 0; i < 100; i++) last = (await leader.node.propose(command(i))).index;
    await cluster.applied(last);
    for (const member of cluster.running) {
      expect((member.stateMachine as SnapshottingStateMachine).snapshots).toBeGreaterThanOrEqual(4);
      expect(await member.storage.firstIndex()).toBeGreaterThan(60);
    }
    const follower = cluster.running.find((member) => member.id !== leader.id)!;
    await cluster.stopNode(follower.id);
    const restarted = await cluster.startNode(follower.id);
    expect((restarted.stateMachine as SnapshottingStateMachine).restores).toBe(1);
    await cluster.applied(last, [restarted.id]);
    expect(restarted.stateMachine.values).toEqual(leader.stateMachine.values);
  });

  it('catches a follower up with a snapshot when the log it needs was compacted', async () => {
    const cluster = await TestCluster.start(3, { snapshots: true, snapshotEntries: 10 });
    const leader = await cluster.leader();
    const lagging = cluster.running.find((member) => member.id !== leader.id)!;
    await cluster.stopNode(lagging.id);
    let last = 0;
    for (let i = 0; i < 60; i++) last = (await leader.node.propose(command(i))).index;
    expect(await leader.storage.firstIndex()).toBeGreaterThan(lagging.node.currentStatus.applied + 1);

    const back = await cluster.startNode(lagging.id);
    await cluster.applied(last, [back.id]);
    expect((back.stateMachine as SnapshottingStateMachine).restores).toBeGreaterThanOrEqual(1);
    expect(back.stateMachine.values).toEqual(leader.stateMachine.values);
  });

  it('takes a snapshot on request and compacts the log behind it', async () => {
    const cluster = await TestCluster.start(1, { snapshots: true, snapshotEntries: 0 });
    const leader = await cluster.leader();
    let last = 0;
    for (let i = 0; i < 10; i++) last = (await leader.node.propose(command(i))).index;
    const meta = await leader.node.snapshot();
    expect(meta).toMatchObject({ index: last, conf: { voters: [1] } });
    expect(await leader.storage.firstIndex()).toBe(last + 1);
    expect(await leader.node.snapshot()).toBeUndefined();
  });
});
