/**
 * Memory over a long run with compaction on: a three-node cluster in one process (transport-memory,
 * storage-memory) takes 1,000,000 writes over 10,000 keys with a snapshot every 10,000 entries;
 * resident memory after 100,000 writes is compared with resident memory after 1,000,000.
 *
 *   pnpm --filter @raft/log bench:memory [-- --writes 1000000 --keys 10000]
 *
 * Target: the second figure within 1.5× the first (memory stays flat: the log is compacted, only
 * the state machine's keys remain).
 */
import { parseArgs } from 'node:util';
import { MemoryStorage } from '@raft/storage-memory';
import { MemoryNetwork } from '@raft/transport-memory';
import { filter, firstValueFrom } from 'rxjs';
import { RaftNode, Role, type StateMachine } from '../src/index.js';

const { values: args } = parseArgs({
  options: {
    writes: { type: 'string', default: '1000000' },
    keys: { type: 'string', default: '10000' },
    proposers: { type: 'string', default: '64' },
  },
});
const writes = Number(args.writes);
const keys = Number(args.keys);
const proposers = Number(args.proposers);

/** A map of `keys` counters: command = 4-byte key number; snapshot = the counters. */
class Counters implements StateMachine<number> {
  counts = new Uint32Array(keys);
  apply(command: Uint8Array): number {
    const key = new DataView(command.buffer, command.byteOffset, 4).getUint32(0);
    return ++this.counts[key]!;
  }
  snapshot(): Uint8Array {
    return new Uint8Array(this.counts.buffer.slice(0));
  }
  async restore(data: AsyncIterable<Uint8Array>): Promise<void> {
    for await (const chunk of data) this.counts = new Uint32Array(chunk.slice().buffer);
  }
}

const ids = [1, 2, 3];
const network = new MemoryNetwork();
const nodes = ids.map(
  (id) =>
    new RaftNode<number>({
      id,
      peers: ids,
      transport: network.endpoint(id),
      storage: new MemoryStorage(),
      stateMachine: new Counters(),
      snapshotEntries: 10_000,
    }),
);
await Promise.all(nodes.map((node) => node.start()));
const leader = await Promise.race(
  nodes.map(async (node) => {
    await firstValueFrom(node.status$.pipe(filter((s) => s.role === Role.Leader)));
    return node;
  }),
);

const rssMiB = () => {
  globalThis.gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};
let next = 0;
const marks = new Map<number, number>();
const proposer = async () => {
  const command = new Uint8Array(4);
  const view = new DataView(command.buffer);
  while (next < writes) {
    const n = next++;
    view.setUint32(0, n % keys);
    await leader.propose(command.slice());
    if ((n + 1) % 100_000 === 0) {
      marks.set(n + 1, rssMiB());
      process.stderr.write(`\r${n + 1} writes, rss ${marks.get(n + 1)!.toFixed(0)} MiB`);
    }
  }
};
const started = performance.now();
await Promise.all(Array.from({ length: proposers }, proposer));
const elapsed = (performance.now() - started) / 1000;
process.stderr.write('\n');
await Promise.all(nodes.map((node) => node.stop()));

const early = marks.get(100_000)!;
const late = marks.get(writes)!;
console.log(
  JSON.stringify(
    {
      bench: 'log/memory',
      writes,
      keys,
      seconds: Number(elapsed.toFixed(1)),
      rssMiBAfter100k: Number(early.toFixed(1)),
      rssMiBAfterAll: Number(late.toFixed(1)),
      ratio: Number((late / early).toFixed(2)),
      target: 1.5,
    },
    null,
    2,
  ),
);
