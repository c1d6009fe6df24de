// Three Raft nodes in one process replicate a counter: propose on the leader, read linearizably
// from a follower, restart a node from its storage (snapshot + log), stop everything cleanly.
import { RaftNode } from '@raft/log';
import { MemoryStorage } from '@raft/storage-memory';
import { MemoryNetwork } from '@raft/transport-memory';
import { filter, firstValueFrom } from 'rxjs';
import { Counter } from './counter.js';

const ids = [1, 2, 3];
const network = new MemoryNetwork(); // in-process links; @raft/transport-zmq or -nats between processes
const storages = new Map(ids.map((id) => [id, new MemoryStorage()]));
const counters = new Map(ids.map((id) => [id, new Counter()]));
const startNode = (id: number, storage: MemoryStorage, counter: Counter) =>
  new RaftNode({ id, peers: ids, transport: network.endpoint(id), storage, stateMachine: counter, snapshotEntries: 4 });
const nodes = ids.map((id) => startNode(id, storages.get(id)!, counters.get(id)!));
await Promise.all(nodes.map((node) => node.start()));

const knownLeader = (node: RaftNode) => firstValueFrom(node.leader$.pipe(filter((id) => id !== 0)));
const leaderId = await knownLeader(nodes[0]!);
const leader = nodes.find((node) => node.id === leaderId)!;
console.log(`leader: node ${leaderId}`);
for (const amount of [1, 2, 3, 4, 5]) {
  console.log(`add ${amount} -> ${await leader.propose(Counter.add(amount))}`); // resolves once applied on the leader
}

const follower = nodes.find((node) => node.id !== leaderId)!;
await follower.read(); // the leader confirms a read index; the follower waits until it applied it
console.log(`node ${follower.id} (follower) reads ${counters.get(follower.id)!.value}`);

// Restart the follower from what it persisted: it restores its snapshot, then replays the log after it.
await follower.stop();
const restartedCounter = new Counter();
const restarted = startNode(follower.id, storages.get(follower.id)!.reopen(), restartedCounter);
await restarted.start();
console.log(`node ${restarted.id} restarted with ${restartedCounter.value} (from a snapshot: ${restartedCounter.restoredFromSnapshot})`);
await knownLeader(restarted); // a read needs a leader to confirm it
await restarted.read();
console.log(`node ${restarted.id} reads ${restartedCounter.value}`);

await Promise.all([...nodes.filter((node) => node !== follower), restarted].map((node) => node.stop()));
console.log('stopped');
