import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ZmqTransport } from '../src/index.js';
import { heartbeat, Inbox, loopbackAddresses, peersOf, waitFor } from './fixtures.js';

const CLUSTER = 'zmq-restart';
const ECHO_PEER = fileURLToPath(new URL('./echo-peer.ts', import.meta.url));
const cleanup: (() => unknown)[] = [];

afterEach(async () => {
  for (const release of cleanup.splice(0).reverse()) await release();
});

/** Starts node `id` as an echo peer in a process of its own; resolves once it listens. */
async function spawnEchoPeer(id: number, addresses: ReadonlyMap<number, string>): Promise<ChildProcess> {
  const options = { id, clusterId: CLUSTER, listen: addresses.get(id)!, peers: Object.fromEntries(peersOf(id, addresses)) };
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@raft/source', ECHO_PEER, JSON.stringify(options)], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanup.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  await waitFor(() => output.includes('listening') || child.exitCode !== null, `echo peer ${id} to listen`);
  expect(child.exitCode, `echo peer ${id} exited early`).toBeNull();
  return child;
}

/** Resends `commit` to node 2 every 50 ms until its echo is back, as Raft would retry. */
async function roundTrip(node: ZmqTransport, inbox: Inbox, commit: number): Promise<void> {
  let lastSent = -Infinity;
  await waitFor(() => {
    if (performance.now() - lastSent > 50) {
      node.send(heartbeat(1, 2, commit));
      lastSent = performance.now();
    }
    return inbox.has(2, commit);
  }, `the echo of message ${commit} from node 2`);
}

describe('ZmqTransport with a peer in another process', () => {
  it('reaches a peer again after it is killed with SIGKILL and restarted at the same address', async () => {
    const addresses = await loopbackAddresses([1, 2]);
    const inbox = new Inbox();
    const node = new ZmqTransport({ id: 1, clusterId: CLUSTER, listen: addresses.get(1)!, peers: peersOf(1, addresses), sendQueueLimit: 500 });
    cleanup.push(() => node.close());
    await node.start(inbox.handler);

    const first = await spawnEchoPeer(2, addresses);
    await roundTrip(node, inbox, 1);

    first.kill('SIGKILL');
    await once(first, 'exit');
    const before = node.stats().sent;
    for (let i = 0; i < 20_000; i++) node.send(heartbeat(1, 2, 1000 + i));
    expect(node.stats().sent - before, 'messages queued for the dead peer').toBeLessThanOrEqual(500);

    await spawnEchoPeer(2, addresses);
    await roundTrip(node, inbox, 2);
  });
});
