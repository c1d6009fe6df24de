import { curveKeyPair, Dealer } from 'zeromq';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMessage } from '@raft/core/codec';
import type { NodeId } from '@raft/core';
import { ZmqTransport } from '../src/index.js';
import { encodeBatch } from '../src/batch-frame.js';
import { z85Encode, zapHandlerState } from '../src/zap.js';
import { heartbeat, Inbox, loopbackAddresses, waitFor } from './fixtures.js';

const open: ZmqTransport[] = [];
const rawSockets: Dealer[] = [];
afterEach(async () => {
  for (const socket of rawSockets.splice(0)) socket.close();
  await Promise.all(open.splice(0).map((t) => t.close()));
});

interface KeyPair {
  readonly publicKey: string;
  readonly secretKey: string;
}

/** Nodes `ids` on loopback with a key pair each, every node configured with every other's public key. */
async function curveCluster(ids: readonly NodeId[]) {
  const addresses = await loopbackAddresses(ids);
  const keys = new Map(ids.map((id) => [id, curveKeyPair() as KeyPair]));
  const start = async (id: NodeId, warnings: string[] = []) => {
    const inbox = new Inbox();
    const others = (map: ReadonlyMap<NodeId, string>) => new Map([...map].filter(([peer]) => peer !== id));
    const peerKeys = others(new Map([...keys].map(([peer, pair]) => [peer, pair.publicKey])));
    const transport = new ZmqTransport({
      id,
      clusterId: 'curve',
      listen: addresses.get(id)!,
      peers: others(addresses),
      curve: { ...keys.get(id)!, peerKeys },
      logger: { warn: (line) => warnings.push(line) },
    });
    open.push(transport);
    await transport.start(inbox.handler);
    return { transport, inbox, warnings };
  };
  return { addresses, keys, start };
}

type CurveCluster = Awaited<ReturnType<typeof curveCluster>>;
type CurveNode = Awaited<ReturnType<CurveCluster['start']>>;

/** Starts the real node 1, which must be admitted by node 2 and deliver; nothing else may have arrived. */
async function expectOnlyTheRealNodeOneDelivers(cluster: CurveCluster, two: CurveNode): Promise<void> {
  const one = await cluster.start(1);
  await waitFor(() => {
    one.transport.send(heartbeat(1, 2, 7));
    return two.inbox.has(1, 7);
  }, 'node 2 to receive from node 1');
  expect(two.inbox.messages.map((message) => message.commit).filter((commit) => commit !== 7)).toEqual([]);
}

/**
 * A raw DEALER that connects to `address` as node `from` would (same routing id, valid frames),
 * with CURVE keys `pair` and the listener's public key `serverKey`, or in plain TCP without them.
 * `failed()` tells once the handshake with the listener has failed.
 */
function rawClient(address: string, from: NodeId, curve?: { pair: KeyPair; serverKey: string }) {
  const socket = new Dealer({
    routingId: String(from),
    linger: 0,
    ...(curve && { curveServerKey: curve.serverKey, curvePublicKey: curve.pair.publicKey, curveSecretKey: curve.pair.secretKey }),
  });
  rawSockets.push(socket);
  let failed = false;
  for (const type of ['handshake:error:auth', 'handshake:error:protocol', 'handshake:error:other'] as const) {
    socket.events.on(type, () => (failed = true));
  }
  socket.connect(address);
  return {
    /** Sends `frame` (an encoded message) as a batch frame, without waiting: a send waits for a connection that, when refused, never comes. */
    send: (frame: Uint8Array) => void socket.send(encodeBatch([frame])).catch(() => {}),
    failed: () => failed,
  };
}

describe('ZmqTransport with CURVE', () => {
  it('delivers over encrypted connections, and never to a listener without the configured secret key', async () => {
    const addresses = await loopbackAddresses([1, 2, 3]);
    const keys = new Map([1, 2, 3].map((id) => [id, curveKeyPair()]));
    const publicKeys = new Map([...keys].map(([id, pair]) => [id, pair.publicKey]));
    const impostor = curveKeyPair();
    const start = async (id: number, secretOf: (id: number) => { publicKey: string; secretKey: string }) => {
      const inbox = new Inbox();
      const peers = new Map([...addresses].filter(([peer]) => peer !== id));
      const peerKeys = new Map([...publicKeys].filter(([peer]) => peer !== id));
      const transport = new ZmqTransport({ id, clusterId: 'curve', listen: addresses.get(id)!, peers, curve: { ...secretOf(id), peerKeys } });
      open.push(transport);
      await transport.start(inbox.handler);
      return { transport, inbox };
    };
    const one = await start(1, (id) => keys.get(id)!);
    const two = await start(2, (id) => keys.get(id)!);
    // Node 3's listener runs with a key pair that is not the one the others expect for node 3.
    const three = await start(3, () => impostor);

    await waitFor(() => {
      one.transport.send(heartbeat(1, 2, 7));
      one.transport.send(heartbeat(1, 3, 7));
      return two.inbox.has(1, 7);
    }, 'node 2 to receive from node 1 over CURVE');
    // Keep going until a later round trip 1 → 2 → 1 completes: by then 1 → 3 had every chance.
    await waitFor(() => {
      two.transport.send(heartbeat(2, 1, 8));
      return one.inbox.has(2, 8);
    }, 'node 1 to receive from node 2 over CURVE');
    expect(three.inbox.messages).toEqual([]);
  });

  it('admits to a listener only clients whose public key is among its peerKeys, logging each refused key once', async () => {
    const cluster = await curveCluster([1, 2]);
    const two = await cluster.start(2);
    const impostorPair = curveKeyPair();
    // Two connections with a valid key pair unknown to node 2, which know node 2's public key and
    // claim to be node 1: valid frames, right routing id.
    const serverKey = cluster.keys.get(2)!.publicKey;
    const impostors = [1, 2].map(() => rawClient(cluster.addresses.get(2)!, 1, { pair: impostorPair, serverKey }));
    for (const impostor of impostors) impostor.send(encodeMessage(heartbeat(1, 2, 666), 'curve'));
    await waitFor(() => two.transport.stats().refused === 2 && impostors.every((impostor) => impostor.failed()), 'node 2 to refuse both impostor connections');

    // The real node 1, started after the refusals, is admitted and delivers.
    await expectOnlyTheRealNodeOneDelivers(cluster, two);
    const refusals = two.warnings.filter((line) => line.includes('refused a connection'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toContain(`from 127.0.0.1: its CURVE public key ${impostorPair.publicKey} is not among curve.peerKeys`);
    expect(two.transport.stats()).toMatchObject({ refused: 2, rejected: 0 });
  });

  it('delivers nothing from a plain TCP client to a CURVE listener', async () => {
    const cluster = await curveCluster([1, 2]);
    const two = await cluster.start(2);
    const plain = rawClient(cluster.addresses.get(2)!, 1);
    plain.send(encodeMessage(heartbeat(1, 2, 666), 'curve'));
    await waitFor(plain.failed, 'the plain TCP handshake to fail');

    await expectOnlyTheRealNodeOneDelivers(cluster, two);
    expect(two.transport.stats()).toMatchObject({ refused: 0, rejected: 0 });
  });

  it('keeps authenticating for the transports still open, releases the ZAP handler with the last, and binds it again', async () => {
    const cluster = await curveCluster([1, 2, 3]);
    const nodes = [await cluster.start(1), await cluster.start(2), await cluster.start(3)];
    expect(zapHandlerState()).toEqual({ open: true, domains: 3 });
    await nodes[0]!.transport.close();
    await nodes[0]!.transport.close();
    expect(zapHandlerState()).toEqual({ open: true, domains: 2 });

    // Node 3 still admits node 2 and still refuses an unknown key.
    const impostor = rawClient(cluster.addresses.get(3)!, 2, { pair: curveKeyPair(), serverKey: cluster.keys.get(3)!.publicKey });
    impostor.send(encodeMessage(heartbeat(2, 3, 666), 'curve'));
    await waitFor(() => nodes[2]!.transport.stats().refused === 1, 'node 3 to refuse the impostor');
    await waitFor(() => {
      nodes[1]!.transport.send(heartbeat(2, 3, 7));
      return nodes[2]!.inbox.has(2, 7);
    }, 'node 3 to receive from node 2');

    for (const node of nodes) await node.transport.close();
    expect(zapHandlerState()).toEqual({ open: false, domains: 0 });

    // A transport started right after the last one closed binds a new handler, which authenticates.
    const again = await cluster.start(1);
    expect(zapHandlerState()).toEqual({ open: true, domains: 1 });
    const late = rawClient(cluster.addresses.get(1)!, 2, { pair: curveKeyPair(), serverKey: cluster.keys.get(1)!.publicKey });
    late.send(encodeMessage(heartbeat(2, 1, 666), 'curve'));
    await waitFor(() => again.transport.stats().refused === 1 && late.failed(), 'the restarted node to refuse the impostor');
    await again.transport.close();
    expect(zapHandlerState()).toEqual({ open: false, domains: 0 });
    expect(again.inbox.messages).toEqual([]);
  });

  it('encodes keys in Z85 as ZeroMQ does', () => {
    // The example of the Z85 specification (ZeroMQ RFC 32).
    expect(z85Encode(new Uint8Array([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]))).toBe('HelloWorld');
    expect(z85Encode(new Uint8Array([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]))).toBe('00000%nSc0');
    expect(() => z85Encode(new Uint8Array(3))).toThrow(RangeError);
  });

  it('rejects keys that are not Z85 CURVE keys, and peers without a key', async () => {
    const [listen] = [...(await loopbackAddresses([1])).values()];
    const pair = curveKeyPair();
    expect(() => new ZmqTransport({ id: 1, clusterId: 'c', listen: listen!, peers: {}, curve: { ...pair, secretKey: 'short', peerKeys: {} } })).toThrow(
      /curve.secretKey must be a CURVE key/,
    );
    const lacking = new ZmqTransport({ id: 1, clusterId: 'c', listen: listen!, peers: { 2: 'tcp://127.0.0.1:1' }, curve: { ...pair, peerKeys: {} } });
    await expect(lacking.start(() => {})).rejects.toThrow(/no public key for peer 2/);
    await lacking.close();
  });
});
