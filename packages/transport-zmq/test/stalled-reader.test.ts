import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loopbackAddresses, peersOf, waitFor } from './fixtures.js';
import { frame, ping, RawZmtpPeer } from './raw-zmtp.js';

const STALLING_PEER = fileURLToPath(new URL('./stalling-peer.ts', import.meta.url));
const cleanup: (() => unknown)[] = [];

afterEach(async () => {
  for (const release of cleanup.splice(0).reverse()) await release();
});

/** Node 2 as a stalling peer in a process of its own, with what it prints collected line by line. */
async function spawnStallingPeer(): Promise<{ child: ChildProcess; lines: string[]; listen: string }> {
  const addresses = await loopbackAddresses([1, 2]);
  const options = { id: 2, clusterId: 'zmq-stall', listen: addresses.get(2)!, peers: Object.fromEntries(peersOf(2, addresses)) };
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@raft/source', STALLING_PEER, JSON.stringify(options)], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  cleanup.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  const lines: string[] = [];
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop()!;
    lines.push(...parts);
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  await waitFor(() => lines.includes('listening') || !alive(), 'the stalling peer to listen');
  expect(alive(), 'the stalling peer exited before listening').toBe(true);
  return { child, lines, listen: options.listen };
}

describe('ZmqTransport whose event loop stalls while a peer dies', () => {
  it('survives a peer reset with a heartbeat unread behind a backlog, and then reads the whole backlog', async () => {
    const { child, lines, listen } = await spawnStallingPeer();
    const dir = await mkdtemp(join(tmpdir(), 'zmq-stall-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const resume = join(dir, 'resume');
    const peer = await RawZmtpPeer.connect(listen);
    child.stdin!.write(`stall ${resume}\n`);
    await waitFor(() => lines.includes('stalled'), 'the peer to stall');
    // One segment, read by libzmq's I/O thread while the node's event loop is stalled: more messages
    // than a receive queue of 16 would take, with a heartbeat before them and one among the rest.
    const backlog = Array.from({ length: 40 }, (_, i) => frame(Buffer.from(`backlog ${i}`)));
    peer.write([ping('first'), ...backlog.slice(0, 30), ping('second'), ...backlog.slice(30)]);
    // The answer to the first heartbeat shows the I/O thread has read the segment.
    await peer.waitFor('PONGfirst', 'the answer to the first heartbeat');
    peer.reset();

    await writeFile(resume, '');
    // A node that dies is reported below; asking it for its counters must not fail the test first.
    child.stdin!.on('error', () => {});
    const alive = () => child.exitCode === null && child.signalCode === null;
    const rejected = () => (lines.at(-1)?.startsWith('{') ? (JSON.parse(lines.at(-1)!) as { rejected: number }).rejected : 0);
    await waitFor(() => {
      if (!alive() || rejected() === backlog.length) return true;
      child.stdin!.write('stats\n');
      return false;
    }, 'the node to read the whole backlog');
    expect(child.signalCode, 'libzmq aborted the node').toBeNull();
    expect(child.exitCode, 'the node exited').toBeNull();
    // Every message of the backlog reached the node, as a rejected frame (none is a Raft batch frame).
    expect(rejected()).toBe(backlog.length);
  });
});
