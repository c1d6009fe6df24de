import type { NodeId, Storage, Transport } from '@raft/core';
import { FileStorage } from '@raft/storage-file';
import { LmdbStorage } from '@raft/storage-lmdb';
import { MemoryStorage } from '@raft/storage-memory';
import { NatsTransport } from '@raft/transport-nats';
import { ZmqTransport } from '@raft/transport-zmq';
import { ConfigError } from '../config/config-error.js';
import type { KvOptions } from '../config/options.js';

/** The storage engine `--storage` names, opened on `--data-dir`. */
export async function openStorage(options: KvOptions): Promise<Storage> {
  switch (options.storage) {
    case 'file':
      return FileStorage.open(options.dataDir);
    case 'lmdb':
      return LmdbStorage.open(options.dataDir);
    case 'memory':
      return new MemoryStorage();
  }
}

/** The transport `--transport` names, reaching every member of the cluster. */
export function createTransport(options: KvOptions, log: (message: string) => void): Transport {
  const others: NodeId[] = [...options.members.keys()].filter((id) => id !== options.id);
  switch (options.transport) {
    case 'zmq':
      return new ZmqTransport({
        id: options.id,
        clusterId: options.clusterId,
        listen: options.members.get(options.id)!.raft!,
        peers: new Map(others.map((id) => [id, options.members.get(id)!.raft!])),
        logger: { warn: log },
      });
    case 'nats':
      return new NatsTransport({
        id: options.id,
        cluster: options.clusterId,
        subjectPrefix: options.natsPrefix,
        peers: others,
        connection: { servers: [...options.natsServers] },
        logger: { warn: log },
      });
    case 'memory':
      throw new ConfigError('--transport memory connects nodes inside one process only; a raft-kv process needs zmq or nats');
  }
}
