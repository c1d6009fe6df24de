import { curveKeyPair } from 'zeromq';
import { afterEach, describe, expect, it } from 'vitest';
import { ZmqTransport } from '../src/index.js';
import { heartbeat, Inbox, loopbackAddresses, waitFor } from './fixtures.js';

const open: ZmqTransport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

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
