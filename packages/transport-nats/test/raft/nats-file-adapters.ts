// Adapters of the Raft node processes in raft-processes.test.ts: NATS transport (servers from the
// environment the test sets) and file storage.
import type { NodeId } from '@raft/core';
import { FileStorage } from '@raft/storage-file';
import { NatsTransport } from '../../src/index.js';

export const SERVERS_ENV = 'RAFT_TEST_NATS_SERVERS';

export function createTransport(id: NodeId, peers: readonly NodeId[]): NatsTransport {
  const servers = (process.env[SERVERS_ENV] ?? '').split(',');
  return new NatsTransport({
    id,
    cluster: 'raft-processes',
    peers: peers.filter((peer) => peer !== id),
    connection: { servers, reconnectTimeWait: 100, reconnectJitter: 0, pingInterval: 500, maxPingOut: 2, timeout: 1000 },
  });
}

export function createStorage(dir: string): Promise<FileStorage> {
  return FileStorage.open(dir);
}
