import { describe, expect, it } from 'vitest';
import { ZmqTransport, type ZmqTransportOptions } from '../src/index.js';
import { heartbeat, loopbackAddresses, peersOf } from './fixtures.js';

const valid: ZmqTransportOptions = {
  id: 1,
  clusterId: 'orders',
  listen: 'tcp://127.0.0.1:9001',
  peers: { 2: 'tcp://127.0.0.1:9002', 3: 'tcp://localhost:9003' },
};

describe('ZmqTransport options', () => {
  it('accepts host names, IPv6 addresses, a wildcard listen address and peers as a Map', () => {
    expect(() => new ZmqTransport(valid)).not.toThrow();
    expect(() => new ZmqTransport({ ...valid, listen: 'tcp://*:9001', peers: new Map([[2, 'tcp://[::1]:9002']]) })).not.toThrow();
  });

  it.each<[string, Partial<ZmqTransportOptions>, RegExp]>([
    ['a non-tcp listen address', { listen: 'ipc:///tmp/raft.sock' }, /listen must be an address of the form tcp:\/\/<host>:<port>.*"ipc:\/\/\/tmp\/raft\.sock"/],
    ['a listen address without a port', { listen: 'tcp://127.0.0.1' }, /listen must be an address of the form tcp:\/\/<host>:<port>/],
    ['port 0', { listen: 'tcp://127.0.0.1:0' }, /port from 1 to 65535/],
    ['a port above 65535', { listen: 'tcp://127.0.0.1:70000' }, /port from 1 to 65535/],
    ['a wildcard peer address', { peers: { 2: 'tcp://*:9002' } }, /the address of peer 2 must be an address of the form/],
    ['a peer over udp', { peers: { 2: 'udp://127.0.0.1:9002' } }, /the address of peer 2 must be/],
    ['its own id among the peers', { peers: { 1: 'tcp://127.0.0.1:9001' } }, /peers must not contain this node's own id \(1\)/],
    ['a peer id that is not a positive integer', { peers: { 0: 'tcp://127.0.0.1:9002' } }, /each id in peers must be a positive integer, got 0/],
    ['no peers at all', { peers: undefined }, /peers must map each other node id to its address/],
    ['an id of 0', { id: 0 }, /id must be a positive integer, got 0/],
    ['a fractional id', { id: 1.5 }, /id must be a positive integer, got 1\.5/],
    ['an empty cluster id', { clusterId: '' }, /clusterId must be a non-empty string/],
    ['a zero send queue', { sendQueueLimit: 0 }, /sendQueueLimit must be a positive integer/],
    ['a negative byte limit', { sendQueueBytes: -1 }, /sendQueueBytes must be a positive integer/],
    ['a max reconnect interval below the first', { reconnectIntervalMs: 500, reconnectMaxIntervalMs: 100 }, /reconnectMaxIntervalMs \(100\) must not be less than reconnectIntervalMs \(500\)/],
  ])('throws a TypeError that explains %s', (_, change, message) => {
    expect(() => new ZmqTransport({ ...valid, ...change } as ZmqTransportOptions)).toThrow(message);
  });

  it('keeps the previous peers when setPeers is given a bad list', async () => {
    const addresses = await loopbackAddresses([1, 2]);
    const transport = new ZmqTransport({ ...valid, listen: addresses.get(1)!, peers: peersOf(1, addresses) });
    await transport.start(() => {});
    expect(() => transport.setPeers({ 1: 'tcp://127.0.0.1:9001' })).toThrow(TypeError);
    expect(transport.send(heartbeat(1, 2, 1))).toBe(true);
    await transport.close();
  });
});
