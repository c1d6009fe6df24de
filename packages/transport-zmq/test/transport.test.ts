import { afterEach, describe, expect, it } from 'vitest';
import type { NodeId } from '@raft/core';
import { ZmqTransport, type ZmqTransportOptions } from '../src/index.js';
import { appendEntries, heartbeat, Inbox, loopbackAddresses, peersOf, waitFor } from './fixtures.js';

const CLUSTER = 'zmq-test';
const open: ZmqTransport[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((transport) => transport.close()));
});

function transport(options: ZmqTransportOptions): ZmqTransport {
  const created = new ZmqTransport(options);
  open.push(created);
  return created;
}

async function startCluster(ids: readonly NodeId[], clusterId = CLUSTER) {
  const addresses = await loopbackAddresses(ids);
  const nodes = new Map<NodeId, { transport: ZmqTransport; inbox: Inbox }>();
  for (const id of ids) {
    const node = { transport: transport({ id, clusterId, listen: addresses.get(id)!, peers: peersOf(id, addresses) }), inbox: new Inbox() };
    await node.transport.start(node.inbox.handler);
    nodes.set(id, node);
  }
  return { addresses, node: (id: NodeId) => nodes.get(id)! };
}

describe('ZmqTransport', () => {
  it('delivers messages between every pair of three nodes, in order per pair', async () => {
    const ids = [1, 2, 3];
    const cluster = await startCluster(ids);
    for (const from of ids) {
      for (const to of ids) {
        if (from === to) continue;
        for (let commit = 1; commit <= 50; commit++) expect(cluster.node(from).transport.send(heartbeat(from, to, commit))).toBe(true);
      }
    }
    for (const to of ids) {
      await waitFor(() => cluster.node(to).inbox.messages.length === 100, `node ${to} to receive 100 messages`);
      for (const from of ids.filter((id) => id !== to)) {
        const commits = cluster.node(to).inbox.messages.filter((m) => m.from === from).map((m) => m.commit);
        expect(commits).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      }
    }
    expect(cluster.node(1).transport.stats()).toMatchObject({ sent: 100, dropped: 0, received: 100, rejected: 0 });
  });

  it('works over IPv6', async () => {
    const [p1, p2] = (await loopbackAddresses([1, 2])).values();
    const port = (address: string | undefined) => address!.split(':').pop()!;
    const addresses = new Map([[1, `tcp://[::1]:${port(p1)}`], [2, `tcp://[::1]:${port(p2)}`]]);
    const a = transport({ id: 1, clusterId: CLUSTER, listen: addresses.get(1)!, peers: peersOf(1, addresses) });
    const b = transport({ id: 2, clusterId: CLUSTER, listen: addresses.get(2)!, peers: peersOf(2, addresses) });
    const inbox = new Inbox();
    await a.start(() => {});
    await b.start(inbox.handler);
    expect(a.send(heartbeat(1, 2, 7))).toBe(true);
    await waitFor(() => inbox.has(1, 7), 'the message over IPv6');
  });

  it('delivers a large AppendEntries intact', async () => {
    const cluster = await startCluster([1, 2]);
    const message = appendEntries(1, 2, 16, 64 * 1024);
    expect(cluster.node(1).transport.send(message)).toBe(true);
    await waitFor(() => cluster.node(2).inbox.messages.length === 1, 'the large message');
    const received = cluster.node(2).inbox.messages[0]!;
    // Compared as bytes: an element-wise deep equality of 1 MiB is needlessly slow.
    expect({ ...received, entries: [] }).toEqual({ ...message, entries: [] });
    expect(received.entries.map((entry) => ({ ...entry, data: Buffer.from(entry.data).toString('base64') }))).toEqual(
      message.entries.map((entry) => ({ ...entry, data: Buffer.from(entry.data).toString('base64') })),
    );
  });

  it('refuses a message larger than maxMessageBytes, to an unknown peer, before start and after close', async () => {
    const addresses = await loopbackAddresses([1, 2]);
    const warnings: string[] = [];
    const a = transport({ id: 1, clusterId: CLUSTER, listen: addresses.get(1)!, peers: peersOf(1, addresses), maxMessageBytes: 1024, logger: { warn: (line) => warnings.push(line) } });
    expect(a.send(heartbeat(1, 2, 1))).toBe(false);
    await a.start(() => {});
    expect(a.send(appendEntries(1, 2, 1, 2048))).toBe(false);
    expect(warnings.join('\n')).toMatch(/larger than maxMessageBytes \(1024\)/);
    expect(a.send(heartbeat(1, 7, 1))).toBe(false);
    await a.close();
    expect(a.send(heartbeat(1, 2, 1))).toBe(false);
    expect(a.stats()).toMatchObject({ sent: 0, dropped: 4 });
  });

  it('follows setPeers: reaches an added peer, drops messages to a removed one', async () => {
    const addresses = await loopbackAddresses([1, 2, 3]);
    const a = transport({ id: 1, clusterId: CLUSTER, listen: addresses.get(1)!, peers: { 2: addresses.get(2)! } });
    const c = transport({ id: 3, clusterId: CLUSTER, listen: addresses.get(3)!, peers: {} });
    const inbox = new Inbox();
    await a.start(() => {});
    await c.start(inbox.handler);
    expect(a.send(heartbeat(1, 3, 1))).toBe(false);
    a.setPeers({ 3: addresses.get(3)! });
    expect(a.send(heartbeat(1, 2, 1))).toBe(false);
    expect(a.send(heartbeat(1, 3, 2))).toBe(true);
    await waitFor(() => inbox.has(1, 2), 'node 3 to receive from the added link');
  });

  it('rejects a second start, and fails start with a clear error when the port is taken', async () => {
    const addresses = await loopbackAddresses([1, 2]);
    const a = transport({ id: 1, clusterId: CLUSTER, listen: addresses.get(1)!, peers: peersOf(1, addresses) });
    await a.start(() => {});
    await expect(a.start(() => {})).rejects.toThrow(/start\(\) was already called/);
    const squatter = transport({ id: 2, clusterId: CLUSTER, listen: addresses.get(1)!, peers: {} });
    await expect(squatter.start(() => {})).rejects.toThrow(/node 2 cannot listen on tcp:\/\/127\.0\.0\.1:\d+: .*free port/);
  });

  it('keeps delivering when the handler throws, and says so', async () => {
    const addresses = await loopbackAddresses([1, 2]);
    const warnings: string[] = [];
    const a = transport({ id: 1, clusterId: CLUSTER, listen: addresses.get(1)!, peers: peersOf(1, addresses) });
    const b = transport({ id: 2, clusterId: CLUSTER, listen: addresses.get(2)!, peers: peersOf(2, addresses), logger: { warn: (line) => warnings.push(line) } });
    const inbox = new Inbox();
    await a.start(() => {});
    await b.start((message) => {
      inbox.handler(message);
      if (message.commit === 1) throw new Error('boom');
    });
    a.send(heartbeat(1, 2, 1));
    a.send(heartbeat(1, 2, 2));
    await waitFor(() => inbox.has(1, 2), 'the message after the one whose handler threw');
    expect(warnings.join('\n')).toMatch(/the message handler threw: boom/);
  });
});
