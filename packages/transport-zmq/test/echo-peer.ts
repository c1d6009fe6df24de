/**
 * A node in a process of its own for the restart test: it answers every message with a heartbeat
 * carrying the same `commit` back to the sender, and prints `listening` once it can receive.
 * Usage: node --import tsx --conditions=@raft/source echo-peer.ts '<ZmqTransportOptions as JSON>'
 */
import { ZmqTransport } from '../src/index.js';
import { heartbeat } from './fixtures.js';

const options = JSON.parse(process.argv[2] ?? '') as { id: number; clusterId: string; listen: string; peers: Record<number, string> };
const transport = new ZmqTransport(options);
await transport.start((message) => {
  transport.send(heartbeat(message.to, message.from, message.commit));
});
process.stdout.write('listening\n');
