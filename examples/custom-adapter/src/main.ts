// Three Raft nodes (@raft/log) in one process, linked by the custom TcpTransport over loopback
// sockets, with @raft/storage-memory: write on the leader, stop it, write on the new leader, then
// restart the old one (same address, same storage) and read everything back from it.
import { RaftNode, type StateMachine } from '@raft/log';
import { MemoryStorage } from '@raft/storage-memory';
import { filter, firstValueFrom } from 'rxjs';
import { freeLoopbackAddresses, TcpTransport } from './index.js';

/** A replicated register: each command is the new value; applying one returns the value before. */
class Register implements StateMachine<string | null> {
  value: string | null = null;
  apply(command: Uint8Array): string | null {
    const previous = this.value;
    this.value = new TextDecoder().decode(command);
    return previous;
  }
}

const ids = [1, 2, 3];
const addresses = await freeLoopbackAddresses(ids); // in a deployment: fixed host:port per node
const storages = new Map(ids.map((id) => [id, new MemoryStorage()]));
const registers = new Map<number, Register>();

async function startNode(id: number): Promise<RaftNode<string | null>> {
  registers.set(id, new Register());
  const node = new RaftNode({
    id,
    peers: ids,
    transport: new TcpTransport({ id, clusterId: 'custom-adapter-example', listen: addresses.get(id)!, peers: addresses }),
    storage: storages.get(id)!,
    stateMachine: registers.get(id)!,
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

  storages.set(first, storages.get(first)!.reopen()); // what it persisted survives the restart
  nodes.set(first, await startNode(first)); // listens on the same address; its peers reconnect
  await leaderOf(nodes.get(first)!); // a read needs a leader to confirm it
  await nodes.get(first)!.read();
  console.log(`node ${first} restarted and reads ${registers.get(first)!.value}`);
} finally {
  await Promise.all([...nodes.values()].map((node) => node.stop()));
}
console.log('stopped');
