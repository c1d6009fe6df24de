#!/usr/bin/env node
/**
 * `pnpm demo`: a three-node raft-kv cluster on this machine (ZeroMQ over loopback, file storage in
 * ./.raft-data/demo; no broker), and the dashboard that watches and disturbs it. Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { startDemo } from './supervisor.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' },
    transport: { type: 'string', default: 'zmq' },
    storage: { type: 'string', default: 'file' },
    'data-dir': { type: 'string', default: '.raft-data/demo' },
    port: { type: 'string', default: '0' },
    verbose: { type: 'boolean', default: false },
  },
});
const nodes = Number(values.nodes);
if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9) {
  console.error('demo: --nodes must be an integer from 1 to 9');
  process.exit(2);
}
if (values.transport !== 'zmq' && values.transport !== 'nats') {
  console.error('demo: --transport must be zmq or nats');
  process.exit(2);
}
if (values.storage !== 'file' && values.storage !== 'level' && values.storage !== 'lmdb' && values.storage !== 'memory') {
  console.error('demo: --storage must be file, level, lmdb or memory');
  process.exit(2);
}
const demo = await startDemo({
  nodes,
  transport: values.transport,
  storage: values.storage,
  dataDir: values['data-dir'],
  dashboardPort: Number(values.port),
  onNodeOutput: values.verbose ? (id, line) => console.log(`[node ${id}] ${line}`) : undefined,
});
const leader = await demo.waitForLeader(20_000).catch((error: Error) => {
  console.error(`demo: ${error.message}`);
  return undefined;
});
console.log(`\n@raft demo: ${nodes} raft-kv nodes over ${values.transport}, ${values.storage} storage in ${values['data-dir']}`);
for (const node of demo.nodes) console.log(`  node ${node.id}: ${node.http}${node.id === leader ? '   ← leader' : ''}`);
console.log(`\n  dashboard: ${demo.dashboardUrl}\n`);
const any = demo.nodes[0]!.http;
console.log('  try:');
console.log(`    curl -X PUT --data 'hello' ${any}/v1/kv/greeting`);
console.log(`    curl ${any}/v1/kv/greeting`);
console.log(`    curl -X POST --data '{"expect":"hello","value":"bye"}' ${any}/v1/kv/greeting/cas`);
console.log(`    curl ${any}/v1/status`);
console.log('\n  Ctrl-C stops the cluster (the data stays in the data directory).');
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void demo.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
