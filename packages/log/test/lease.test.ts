import { describe, expect, it } from 'vitest';
import { MessageType, type Message, type NodeId, type Transport } from '../src/index.js';
import { TestCluster, command, stopClustersAfterEach } from './support/cluster.js';

const tickMs = 5;
const electionTicks = 10;

/** Stops this whole process for three election timeouts, as SIGSTOP or a long collection would. */
function stopTheProcess(): void {
  const until = performance.now() + 3 * electionTicks * tickMs;
  while (performance.now() < until) {
    // no timer fires, no message is handled
  }
}

describe('lease reads', () => {
  stopClustersAfterEach();

  it('a leader that was stopped for longer than its lease does not answer a read from it', async () => {
    const cluster = await TestCluster.start(3, { readOnly: 'lease', tickMs, electionTicks, readTimeoutMs: 500 });
    const leader = await cluster.leader();
    await leader.node.propose(command(1));
    await leader.node.read();
    cluster.network.partition([leader.id], cluster.ids.filter((id) => id !== leader.id));
    // Elsewhere, the others would have elected a new leader and taken writes by now.
    stopTheProcess();
    const outcome = await leader.node.read().then(
      () => 'answered from the lease',
      () => 'not answered',
    );
    expect(outcome).toBe('not answered');
  });

  it('nor a read a follower forwarded while it was stopped: it confirms it with a heartbeat round', async () => {
    // Heartbeats can be dropped on demand: then a read answered from a lease still arrives, and
    // one that must be confirmed never does.
    let dropHeartbeats = false;
    const transport = (_id: NodeId, endpoint: Transport): Transport => ({
      start: (handler) => endpoint.start(handler),
      close: () => endpoint.close(),
      send: (message: Message) => (dropHeartbeats && message.type === MessageType.Heartbeat ? true : endpoint.send(message)),
    });
    const cluster = await TestCluster.start(3, { readOnly: 'lease', tickMs, electionTicks, readTimeoutMs: 500, transport });
    const leader = await cluster.leader();
    await leader.node.propose(command(1));
    const follower = cluster.member(cluster.ids.find((id) => id !== leader.id)!);
    await follower.node.read();
    dropHeartbeats = true;
    stopTheProcess();
    const outcome = await follower.node.read().then(
      () => 'answered from a lease',
      () => 'not answered',
    );
    expect(outcome).toBe('not answered');
  });
});
