import { MemoryStorage } from '@raft/storage-memory';
import { MemoryNetwork } from '@raft/transport-memory';
import { describe, expect, it } from 'vitest';
import {
  NodeFailedError,
  NodeStoppedError,
  NotLeaderError,
  OutcomeUnknownError,
  OverloadedError,
  ProposalDroppedError,
  RaftNode,
} from '../src/index.js';
import { TestCluster, command, stopClustersAfterEach } from './support/cluster.js';

describe('RaftNode API', () => {
  stopClustersAfterEach();

  it('refuses a proposal on a follower with a hint naming the leader', async () => {
    const cluster = await TestCluster.start(3);
    const leader = await cluster.leader();
    const follower = cluster.running.find((member) => member.id !== leader.id)!;
    const error = await follower.node.propose(command(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotLeaderError);
    expect(error).toMatchObject({ leader: leader.id });
    expect(follower.stateMachine.values).not.toContain(1);
  });

  it('refuses an empty command: empty entries are the leader no-ops', async () => {
    const cluster = await TestCluster.start(1);
    const leader = await cluster.leader();
    await expect(leader.node.propose(new Uint8Array(0))).rejects.toBeInstanceOf(ProposalDroppedError);
  });

  it('rejects proposals past the uncommitted bound as overloaded, and accepts the rest', async () => {
    const cluster = await TestCluster.start(3, { maxUncommittedEntries: 4 });
    const leader = await cluster.leader();
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => leader.node.propose(command(i))));
    expect(outcomes.slice(0, 4).every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    for (const outcome of outcomes.slice(4)) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(OverloadedError);
    }
    expect(leader.stateMachine.values).toEqual([0, 1, 2, 3]);
    await expect(leader.node.propose(command(99))).resolves.toMatchObject({ term: leader.node.currentStatus.term });
  });

  it('reads linearizably on the leader and on a follower', async () => {
    const cluster = await TestCluster.start(3);
    const leader = await cluster.leader();
    const follower = cluster.running.find((member) => member.id !== leader.id)!;
    for (let i = 0; i < 5; i++) {
      const written = await leader.node.propose(command(i));
      // The write was acknowledged before each read started, so each read must observe it.
      const [onLeader, onFollower] = await Promise.all([leader.node.read(), follower.node.read()]);
      expect(onLeader).toBeGreaterThanOrEqual(written.index);
      expect(onFollower).toBeGreaterThanOrEqual(written.index);
      expect(follower.stateMachine.values).toContain(i);
      expect(follower.node.currentStatus.applied).toBeGreaterThanOrEqual(written.index);
    }
  });

  it('stops gracefully: pending proposals are answered, and nothing stays open', async () => {
    const before = countHandles();
    const cluster = await TestCluster.start(3);
    const leader = await cluster.leader();
    await leader.node.propose(command(1));
    const inFlight = leader.node.propose(command(2)).catch((e: unknown) => e);
    await cluster.stop();
    const outcome = await inFlight;
    // Either it was applied in time, or it was stopped before or after being appended.
    if (outcome instanceof Error) expect(outcome instanceof NodeStoppedError || outcome instanceof OutcomeUnknownError).toBe(true);
    await expect(leader.node.propose(command(3))).rejects.toBeInstanceOf(NodeStoppedError);
    await expect(leader.node.read()).rejects.toBeInstanceOf(NodeStoppedError);
    expect(leader.node.currentStatus.lifecycle).toBe('stopped');
    await expect(leader.node.stopped).resolves.toBeUndefined();
    // Timers left by earlier tests may expire meanwhile, so the count may only have gone down.
    const after = countHandles();
    for (const kind of ['Timeout', 'Immediate']) expect(after[kind] ?? 0).toBeLessThanOrEqual(before[kind] ?? 0);
  });

  it('stops itself with a clear error when a storage write fails, and never continues', async () => {
    const cluster = await TestCluster.start(1);
    const leader = await cluster.leader();
    await leader.node.propose(command(1));
    leader.storage.failWrites = new Error('disk full');
    const outcome = await leader.node.propose(command(2)).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(OutcomeUnknownError);
    const failure = await leader.node.stopped.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NodeFailedError);
    expect((failure as Error).cause).toMatchObject({ message: 'disk full' });
    expect(leader.node.currentStatus).toMatchObject({ lifecycle: 'failed', error: failure });
    expect(leader.stateMachine.values).toEqual([1]);
    await expect(leader.node.propose(command(3))).rejects.toBeInstanceOf(NodeStoppedError);
  });

  it('answers proposals made before start() as not running', async () => {
    const node = new RaftNode({
      id: 1,
      peers: [],
      transport: new MemoryNetwork().endpoint(1),
      storage: new MemoryStorage(),
      stateMachine: { apply: () => undefined },
    });
    await expect(node.propose(command(1))).rejects.toBeInstanceOf(NodeStoppedError);
    await node.stop();
    expect(node.currentStatus.lifecycle).toBe('stopped');
  });
});

/** Timers and immediates alive in this process, by kind. */
function countHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === 'Timeout' || kind === 'Immediate') counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}
