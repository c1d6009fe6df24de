/**
 * Commit throughput and latency of a three-node cluster in one process, over transport-memory and
 * storage-memory, with 64 concurrent proposers on the leader.
 *
 *   pnpm --filter @raft/log bench [-- --seconds 5 --proposers 64 --bytes 16]
 *
 * Latency is measured per proposal, from `propose()` to the promise resolving (the entry committed
 * and was applied on the leader).
 */
import { parseArgs } from 'node:util';
import { MemoryStorage } from '@raft/storage-memory';
import { MemoryNetwork } from '@raft/transport-memory';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { RaftNode, Role } from '../src/index.js';
import { measureBareCores } from './bare-cores.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    proposers: { type: 'string', default: '64' },
    bytes: { type: 'string', default: '16' },
  },
});
const seconds = Number(args.seconds);
const warmupSeconds = Number(args.warmup);
const proposers = Number(args.proposers);
const commandBytes = Number(args.bytes);

const referenceRate = measureBareCores(Math.min(seconds, 2), proposers, commandBytes);

const ids = [1, 2, 3];
const network = new MemoryNetwork();
let appliedOnAllNodes = 0;
const nodes = ids.map(
  (id) =>
    new RaftNode<number>({
      id,
      peers: ids,
      transport: network.endpoint(id),
      storage: new MemoryStorage(),
      stateMachine: {
        apply: (_command, { index }) => {
          appliedOnAllNodes++;
          return index;
        },
      },
    }),
);
await Promise.all(nodes.map((node) => node.start()));
const leaderId = await firstValueFrom(
  nodes[0]!.status$.pipe(
    filter((status) => status.leader !== 0),
    timeout(10_000),
  ),
).then((status) => status.leader);
const leader = nodes.find((node) => node.id === leaderId)!;
await firstValueFrom(leader.status$.pipe(filter((status) => status.role === Role.Leader), timeout(10_000)));

const command = new Uint8Array(commandBytes);
const latencies: number[] = [];
let measuring = false;
let stopAt = Infinity;

async function proposer(): Promise<void> {
  while (performance.now() < stopAt) {
    const start = performance.now();
    await leader.propose(command);
    if (measuring) latencies.push(performance.now() - start);
  }
}

const running = Array.from({ length: proposers }, proposer);
await new Promise((resolve) => setTimeout(resolve, warmupSeconds * 1000));
measuring = true;
const measureStart = performance.now();
const appliedAtStart = appliedOnAllNodes;
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
measuring = false;
const elapsed = (performance.now() - measureStart) / 1000;
const commits = latencies.length;
stopAt = 0;
await Promise.all(running);
await Promise.all(nodes.map((node) => node.stop()));

latencies.sort((a, b) => a - b);
const quantile = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
const rate = commits / elapsed;
console.log(
  JSON.stringify(
    {
      bench: 'log/throughput',
      nodes: 3,
      proposers,
      commandBytes,
      seconds: Number(elapsed.toFixed(2)),
      commitsPerSecond: Math.round(rate),
      appliedPerSecondAllNodes: Math.round((appliedOnAllNodes - appliedAtStart) / elapsed),
      latencyMs: { p50: round(quantile(0.5)), p99: round(quantile(0.99)), p999: round(quantile(0.999)), max: round(latencies.at(-1) ?? NaN) },
      target: { commitsPerSecond: 100_000, p99Ms: 10 },
      bareCoresCommitsPerSecond: Math.round(referenceRate),
      runtimeToBareCores: Number((rate / referenceRate).toFixed(3)),
    },
    null,
    2,
  ),
);

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
