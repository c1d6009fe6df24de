import { Dealer } from 'zeromq';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMessage } from '@raft/core/codec';
import { ZmqTransport } from '../src/index.js';
import { appendEntries, heartbeat, Inbox, loopbackAddresses, peersOf, waitFor } from './fixtures.js';

const CLUSTER = 'zmq-faults';
const cleanup: (() => unknown)[] = [];

afterEach(async () => {
  for (const release of cleanup.splice(0).reverse()) await release();
});

describe('ZmqTransport on a hostile or dead network', () => {
  it('drops and counts malformed, foreign and misaddressed frames from a raw socket, logging once per connection', async () => {
    const addresses = await loopbackAddresses([1, 2]);
    const warnings: string[] = [];
    const node = new ZmqTransport({ id: 2, clusterId: CLUSTER, listen: addresses.get(2)!, peers: peersOf(2, addresses), logger: { warn: (line) => warnings.push(line) } });
    cleanup.push(() => node.close());
    const inbox = new Inbox();
    await node.start(inbox.handler);
    const raw = new Dealer({ routingId: 'intruder', linger: 0 });
    cleanup.push(() => raw.close());
    raw.connect(addresses.get(2)!);

    await raw.send(Buffer.from('not a raft frame'));
    await raw.send(encodeMessage(heartbeat(1, 2, 1), 'another-cluster'));
    await raw.send(encodeMessage(heartbeat(1, 3, 2), CLUSTER));
    await raw.send([encodeMessage(heartbeat(1, 2, 3), CLUSTER).subarray(0, 9), Buffer.alloc(0), encodeMessage(heartbeat(1, 2, 4), CLUSTER)]);

    await waitFor(() => inbox.has(1, 4), 'the valid frame sent after the bad ones');
    expect(inbox.messages.map((message) => message.commit)).toEqual([4]);
    expect(node.stats()).toMatchObject({ received: 1, rejected: 5 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/dropped a frame from connection "intruder": undecodable frame: .*counted, not logged/);
  });

  it('keeps send non-blocking and the queue bounded while a peer is down', async () => {
    const addresses = await loopbackAddresses([1, 2]);
    const sendQueueLimit = 1000;
    const node = new ZmqTransport({ id: 1, clusterId: CLUSTER, listen: addresses.get(1)!, peers: peersOf(1, addresses), sendQueueLimit, sendQueueBytes: 64 * 1024 * 1024 });
    cleanup.push(() => node.close());
    await node.start(() => {});
    const message = appendEntries(1, 2, 1, 1024);
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 5000; i++) node.send(message);
      // Lets the writer run: it takes one batch into the socket, where it waits for the peer.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { sent, dropped } = node.stats();
    expect(sent + dropped).toBe(100_000);
    // Accepted: one full queue, plus at most the one batch the writer holds while the send waits.
    expect(sent).toBeLessThanOrEqual(sendQueueLimit + 256);
  });

  it('counts bytes against sendQueueBytes, yet always queues one message into an empty queue', async () => {
    const addresses = await loopbackAddresses([1, 2]);
    const node = new ZmqTransport({ id: 1, clusterId: CLUSTER, listen: addresses.get(1)!, peers: peersOf(1, addresses), sendQueueBytes: 10_000 });
    cleanup.push(() => node.close());
    await node.start(() => {});
    expect(node.send(appendEntries(1, 2, 1, 50_000))).toBe(true);
    expect(node.send(heartbeat(1, 2, 1))).toBe(false);
  });
});
