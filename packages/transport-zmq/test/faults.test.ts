import { Dealer } from 'zeromq';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMessage } from '@raft/core/codec';
import { ZmqTransport } from '../src/index.js';
import { encodeBatch } from '../src/batch-frame.js';
import { appendEntries, heartbeat, Inbox, loopbackAddresses, peersOf, waitFor } from './fixtures.js';

const CLUSTER = 'zmq-faults';
const cleanup: (() => unknown)[] = [];

afterEach(async () => {
  for (const release of cleanup.splice(0).reverse()) await release();
});

describe('ZmqTransport on a hostile or dead network', () => {
  /** Node 2 on loopback, logging its warnings, and a raw DEALER connected to it with routing id `rawId`. */
  async function nodeAndRawSender(rawId: string) {
    const addresses = await loopbackAddresses([1, 2]);
    const warnings: string[] = [];
    const node = new ZmqTransport({ id: 2, clusterId: CLUSTER, listen: addresses.get(2)!, peers: peersOf(2, addresses), logger: { warn: (line) => warnings.push(line) } });
    cleanup.push(() => node.close());
    const inbox = new Inbox();
    await node.start(inbox.handler);
    const raw = new Dealer({ routingId: rawId, linger: 0 });
    cleanup.push(() => raw.close());
    raw.connect(addresses.get(2)!);
    return { node, inbox, warnings, raw };
  }

  it('drops and counts malformed, foreign and misaddressed messages from a raw socket, logging once per connection', async () => {
    const { node, inbox, warnings, raw } = await nodeAndRawSender('intruder');
    await raw.send(encodeBatch([Buffer.from('not a raft frame')]));
    await raw.send(encodeBatch([encodeMessage(heartbeat(1, 2, 1), 'another-cluster')]));
    await raw.send(encodeBatch([encodeMessage(heartbeat(1, 3, 2), CLUSTER)]));
    await raw.send(Buffer.alloc(0));
    // The batch is well formed: its truncated message is dropped, the valid one after it delivered.
    await raw.send(encodeBatch([encodeMessage(heartbeat(1, 2, 3), CLUSTER).subarray(0, 9), encodeMessage(heartbeat(1, 2, 4), CLUSTER)]));

    await waitFor(() => inbox.has(1, 4), 'the valid message sent after the bad ones');
    expect(inbox.messages.map((message) => message.commit)).toEqual([4]);
    expect(node.stats()).toMatchObject({ received: 1, rejected: 5 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/dropped a frame from connection "intruder": undecodable message: .*counted, not logged/);
  });

  it('drops whole, and logs, batch frames whose length prefixes are bogus, and keeps delivering', async () => {
    const { node, inbox, warnings, raw } = await nodeAndRawSender('liar');
    const valid = encodeMessage(heartbeat(1, 2, 1), CLUSTER);
    const bogus = (length: number, ...rest: Uint8Array[]) => {
      const prefix = Buffer.alloc(4);
      prefix.writeUInt32BE(length);
      return Buffer.concat([prefix, ...rest]);
    };
    // A length of 4 GiB - 1: far past maxMessageBytes, and never allocated.
    await raw.send(Buffer.concat([encodeBatch([valid]), bogus(0xffff_ffff, valid)]));
    // A length within maxMessageBytes, but past the end of the frame.
    await raw.send(bogus(valid.length + 1, valid));
    // A length prefix cut short after a valid message.
    await raw.send(Buffer.concat([encodeBatch([valid]), Buffer.from([0, 0])]));
    await raw.send(bogus(0));
    await raw.send(encodeBatch([encodeMessage(heartbeat(1, 2, 2), CLUSTER), encodeMessage(heartbeat(1, 2, 3), CLUSTER)]));

    await waitFor(() => inbox.has(1, 3), 'the valid batch sent after the bogus ones');
    // Nothing of a malformed batch is delivered, not even its valid first message.
    expect(inbox.messages.map((message) => message.commit)).toEqual([2, 3]);
    expect(node.stats()).toMatchObject({ received: 2, rejected: 4 });
    expect(warnings).toEqual([
      expect.stringMatching(
        /dropped a frame from connection "liar": malformed frame: message 2 of the batch frame claims 4294967295 bytes, more than maxMessageBytes \(67108864\)/,
      ),
    ]);
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
