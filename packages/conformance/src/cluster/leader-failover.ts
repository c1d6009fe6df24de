import type { NodeId } from '@raft/core';
import type { ProcessCluster } from './process-cluster.js';

/** Settings of {@link checkLeaderFailover}. */
export interface LeaderFailoverOptions {
  /** Values proposed under each of the two leaders. Default 20. */
  readonly writesPerLeader?: number;
  /** How long the restarted node may take to catch up, in ms. Default 20,000. */
  readonly catchUpMs?: number;
}

/** What {@link checkLeaderFailover} saw. */
export interface LeaderFailover {
  /** The leader that was killed. */
  readonly first: NodeId;
  /** The leader elected without it. */
  readonly second: NodeId;
  /** Every acknowledged value, in the order proposed: what every node ends up holding. */
  readonly acknowledged: readonly number[];
}

/**
 * The failover every transport × storage pairing must survive: commit under the first leader,
 * SIGKILL it (so nothing unsynced survives), commit under the leader the others elect, restart the
 * killed node from its data directory, and require every running node to hold exactly the
 * acknowledged values, in order. Values are numbered on from what the nodes already hold.
 *
 * @throws Error saying which step failed: no new leader, a proposal refused, a node that does not
 * catch up, or a node whose values differ from the acknowledged ones (listing both).
 *
 * @example
 * ```ts
 * const cluster = await ProcessCluster.start({ ids: [1, 2, 3], adapters, dataDir });
 * const { first, second } = await checkLeaderFailover(cluster);
 * ```
 */
export async function checkLeaderFailover(cluster: ProcessCluster, options: LeaderFailoverOptions = {}): Promise<LeaderFailover> {
  const writes = options.writesPerLeader ?? 20;
  const first = await cluster.leader();
  const acknowledged = [...(await cluster.status(first)).values];
  const commit = async (leader: NodeId): Promise<void> => {
    for (let i = 0; i < writes; i++) {
      const value = acknowledged.length + 1;
      await cluster.propose(leader, value);
      acknowledged.push(value);
    }
  };

  await commit(first);
  await cluster.kill(first);
  const second = await cluster.leader();
  await commit(second);

  await cluster.startNode(first);
  await cluster.until(`node ${first} to catch up after its restart`, options.catchUpMs ?? 20_000, async () => {
    return (await cluster.status(first)).values.length >= acknowledged.length;
  });
  for (const id of cluster.running) {
    const values = (await cluster.status(id)).values;
    if (values.length !== acknowledged.length || values.some((v, i) => v !== acknowledged[i])) {
      throw new Error(`node ${id} holds [${values.join(', ')}] but the acknowledged values are [${acknowledged.join(', ')}]`);
    }
  }
  return { first, second, acknowledged };
}
