// Adapters of the Raft node processes in raft-processes.test.ts: ZeroMQ on loopback (addresses
// from the environment the test sets) and file storage.
import type { NodeId } from '@raft/core';
import { FileStorage } from '@raft/storage-file';
import { ZmqTransport } from '../../src/index.js';

export const ADDRESSES_ENV = 'RAFT_TEST_ZMQ_ADDRESSES';

export function createTransport(id: NodeId): ZmqTransport {
  const addresses = JSON.parse(process.env[ADDRESSES_ENV] ?? '{}') as Record<string, string>;
  const peers = new Map(Object.entries(addresses).map(([peer, address]) => [Number(peer), address] as const));
  const listen = peers.get(id);
  if (listen === undefined) throw new Error(`${ADDRESSES_ENV} has no address for node ${id}`);
  peers.delete(id);
  return new ZmqTransport({ id, clusterId: 'raft-processes', listen, peers });
}

export function createStorage(dir: string): Promise<FileStorage> {
  return FileStorage.open(dir);
}
