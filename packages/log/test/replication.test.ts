import { MemoryStorage } from '@raft/storage-memory';
import { MemoryNetwork } from '@raft/transport-memory';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { RaftNode, Role, type LogPosition } from '../src/index.js';
import { commandValues, expectConsistentLogs, expectExactlyOnce } from './support/assertions.js';
import { TestCluster, WAIT_MS, command, commandValue, stopClustersAfterEach } from './support/cluster.js';

describe('replication', () => {
  stopClustersAfterEach();

  it('commits concurrent proposals on every node in the same order, each exactly once', async () => {
    const cluster = await TestCluster.start(5);
    const leader = await cluster.leader();
    const proposers = Array.from({ length: 8 }, async (_, p) => {
      const positions: LogPosition[] = [];
      for (let i = 0; i < 25; i++) positions.push(await leader.node.propose(command(p * 1000 + i)));
      return positions;
    });
    const positions = (await Promise.all(proposers)).flat();
    const last = Math.max(...positions.map((position) => position.index));
    await cluster.applied(last);

    const reference = leader.stateMachine.values;
    expect(reference).toHaveLength(200);
    expect(new Set(reference).size).toBe(200);
    for (const member of cluster.running) expect(member.stateMachine.values).toEqual(reference);
    // Each proposer's commands were applied in the order it proposed them.
    for (let p = 0; p < 8; p++) {
      const mine = reference.filter((value) => Math.floor(value / 1000) === p);
      expect(mine).toEqual(Array.from({ length: 25 }, (_, i) => p * 1000 + i));
    }
    expectConsistentLogs(cluster.running);
  });

  it('appends the proposals of one turn as one batch: one storage write on the leader', async () => {
    const cluster = await TestCluster.start(3);
    const leader = await cluster.leader();
    const values = Array.from({ length: 50 }, (_, i) => 5000 + i);
    const positions = await Promise.all(values.map((value) => leader.node.propose(command(value))));
    const writes = leader.storage.saves.filter((save) =>
      commandValues(save.entries ?? []).some((value) => values.includes(value)),
    );
    expect(writes).toHaveLength(1);
    expect(commandValues(writes[0]!.entries ?? [])).toEqual(values);
    expect(new Set(positions.map((position) => position.term)).size).toBe(1);
  });

  it('restarts a node from its storage: it replays its log and catches up', async () => {
    const cluster = await TestCluster.start(3);
    const leader = await cluster.leader();
    for (let i = 0; i < 10; i++) await leader.node.propose(command(i));
    const follower = cluster.ids.find((id) => id !== leader.id)!;
    await cluster.applied(leader.node.currentStatus.applied);
    await cluster.stopNode(follower);

    const missed = await Promise.all(Array.from({ length: 10 }, (_, i) => leader.node.propose(command(10 + i))));
    const restarted = await cluster.startNode(follower);
    await cluster.applied(missed.at(-1)!.index);

    expect(restarted.stateMachine.values).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expectExactlyOnce(restarted.committed);
    expectConsistentLogs(cluster.running);
  });
});

describe('applying', () => {
  it('awaits an asynchronous state machine: one entry at a time, in log order', async () => {
    let active = 0;
    let maxActive = 0;
    const applied: number[] = [];
    const network = new MemoryNetwork();
    const node = new RaftNode<number>({
      id: 1,
      peers: [],
      transport: network.endpoint(1),
      storage: new MemoryStorage(),
      tickMs: 5,
      stateMachine: {
        async apply(data, { index }) {
          active++;
          maxActive = Math.max(maxActive, active);
          await new Promise((resolve) => setImmediate(resolve));
          applied.push(commandValue(data));
          active--;
          return index;
        },
      },
    });
    await node.start();
    try {
      await firstValueFrom(node.status$.pipe(filter((status) => status.role === Role.Leader), timeout(WAIT_MS)));
      const indexes = await Promise.all(Array.from({ length: 30 }, (_, i) => node.propose(command(i))));
      expect(applied).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(maxActive).toBe(1);
      expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    } finally {
      await node.stop();
    }
  });
});
