// Three Raft nodes over NATS (a nats-server started here, on ports the kernel picks) with durable
// file storage: write on the leader, stop it, write on the new leader, restart the old one from
// its data directory and read everything back from it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RaftNode } from '@raft/log';
import { FileStorage } from '@raft/storage-file';
import { NatsTransport } from '@raft/transport-nats';
import { NatsServer } from '@raft/transport-nats/testing';
import { filter, firstValueFrom } from 'rxjs';
import { KeyValue } from './key-value.js';

const server = await NatsServer.start(); // needs nats-server installed (apt-get install -y nats-server)
const dataDir = await mkdtemp(join(tmpdir(), 'raft-example-'));
const ids = [1, 2, 3];
const stores = new Map<number, KeyValue>();

async function startNode(id: number): Promise<RaftNode<string | null>> {
  stores.set(id, new KeyValue());
  const node = new RaftNode({
    id,
    peers: ids,
    transport: new NatsTransport({ id, cluster: 'example', connection: { servers: [server.url] } }),
    storage: await FileStorage.open(join(dataDir, `node-${id}`)), // reopening it restarts the node from disk
    stateMachine: stores.get(id)!,
  });
  await node.start();
  return node;
}
const leaderOf = (node: RaftNode<string | null>, not = 0) =>
  firstValueFrom(node.leader$.pipe(filter((id) => id !== 0 && id !== not)));

const nodes = new Map<number, RaftNode<string | null>>();
try {
  for (const id of ids) nodes.set(id, await startNode(id));
  const first = await leaderOf(nodes.get(1)!);
  console.log(`leader: node ${first}`);
  await nodes.get(first)!.propose(KeyValue.set('colour', 'blue'));

  await nodes.get(first)!.stop(); // as if its machine went down
  nodes.delete(first);
  const second = await leaderOf([...nodes.values()][0]!, first);
  console.log(`node ${first} stopped; new leader: node ${second}`);
  const previous = await nodes.get(second)!.propose(KeyValue.set('colour', 'green'));
  console.log(`colour was ${previous}, now green`);

  nodes.set(first, await startNode(first));
  await leaderOf(nodes.get(first)!); // a read needs a leader to confirm it
  await nodes.get(first)!.read();
  console.log(`node ${first} restarted from its data directory and reads colour=${stores.get(first)!.entries.get('colour')}`);
} finally {
  await Promise.all([...nodes.values()].map((node) => node.stop()));
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
console.log('stopped');
