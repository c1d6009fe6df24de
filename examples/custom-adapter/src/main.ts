// Three Raft nodes (@raft/log) in one process, on both custom adapters: TcpTransport over loopback
// sockets and JsonlStorage in a temporary directory. Write on the leader, stop it, write on the new
// leader, then restart the old one from its data directory (same address) and read on it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RaftNode, type StateMachine } from '@raft/log';
import { filter, firstValueFrom } from 'rxjs';
import { freeLoopbackAddresses, JsonlStorage, TcpTransport } from './index.js';

/** A replicated register: each command is the new value; applying one returns the value before. */
class Register implements StateMachine<string | null> {
  value: string | null = null;
  apply(command: Uint8Array): string | null {
    const previous = this.value;
    this.value = new TextDecoder().decode(command);
    return previous;
  }
  snapshot(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify(this.value));
  }
  async restore(chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const parts: Uint8Array[] = [];
    for await (const chunk of chunks) parts.push(chunk);
    this.value = JSON.parse(Buffer.concat(parts).toString('utf8')) as string | null;
  }
}

const ids = [1, 2, 3];
const addresses = await freeLoopbackAddresses(ids); // in a deployment: fixed host:port per node
const dataDir = await mkdtemp(join(tmpdir(), 'raft-custom-adapter-'));
const registers = new Map<number, Register>();

async function startNode(id: number): Promise<RaftNode<string | null>> {
  registers.set(id, new Register());
  const node = new RaftNode({
    id,
    peers: ids,
    transport: new TcpTransport({ id, clusterId: 'custom-adapter-example', listen: addresses.get(id)!, peers: addresses }),
    storage: await JsonlStorage.open(join(dataDir, `node-${id}`)), // reopening it restarts the node from disk
    stateMachine: registers.get(id)!,
    snapshotEntries: 2, // snapshot (and compact the log file) every two entries, to use every part of the storage
  });
  await node.start();
  return node;
}
const leaderOf = (node: RaftNode<string | null>, not = 0) =>
  firstValueFrom(node.leader$.pipe(filter((id) => id !== 0 && id !== not)));
const write = (value: string) => new TextEncoder().encode(value);

const nodes = new Map<number, RaftNode<string | null>>();
try {
  for (const id of ids) nodes.set(id, await startNode(id));
  const first = await leaderOf(nodes.get(1)!);
  console.log(`leader: node ${first}`);
  console.log(`value was ${await nodes.get(first)!.propose(write('blue'))}, now blue`);

  await nodes.get(first)!.stop(); // closes its TcpTransport: its peers see their connections drop
  nodes.delete(first);
  const second = await leaderOf([...nodes.values()][0]!, first);
  console.log(`node ${first} stopped; new leader: node ${second}`);
  console.log(`value was ${await nodes.get(second)!.propose(write('green'))}, now green`);

  nodes.set(first, await startNode(first)); // same directory, same address: its peers reconnect
  await leaderOf(nodes.get(first)!); // a read needs a leader to confirm it
  await nodes.get(first)!.read();
  console.log(`node ${first} restarted from its data directory and reads ${registers.get(first)!.value}`);
} finally {
  await Promise.all([...nodes.values()].map((node) => node.stop()));
  await rm(dataDir, { recursive: true, force: true });
}
console.log('stopped');
