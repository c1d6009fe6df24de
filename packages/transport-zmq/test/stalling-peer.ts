/**
 * A node in a process of its own whose event loop can be stalled on demand, for the stalled-reader
 * test. It prints `listening` once it can receive. On stdin, `stall <file>` blocks the event loop
 * (libzmq's I/O thread goes on receiving) until `<file>` exists, after printing `stalled`; `stats`
 * prints the transport's counters as JSON.
 * Usage: node --import tsx --conditions=@raft/source stalling-peer.ts '<ZmqTransportOptions as JSON>'
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ZmqTransport } from '../src/index.js';

const options = JSON.parse(process.argv[2] ?? '') as { id: number; clusterId: string; listen: string; peers: Record<number, string> };
const transport = new ZmqTransport({ ...options, logger: { warn: () => {} } });
await transport.start(() => {});
process.stdout.write('listening\n');

const pause = new Int32Array(new SharedArrayBuffer(4));
for await (const line of createInterface({ input: process.stdin })) {
  const [command, argument] = line.split(' ');
  if (command === 'stall') {
    process.stdout.write('stalled\n');
    while (!existsSync(argument!)) Atomics.wait(pause, 0, 0, 5);
  } else if (command === 'stats') {
    process.stdout.write(`${JSON.stringify(transport.stats())}\n`);
  }
}
