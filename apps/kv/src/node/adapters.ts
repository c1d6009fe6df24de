import { pathToFileURL } from 'node:url';
import type { NodeId, Storage, Transport } from '@raft/core';
import { FileStorage } from '@raft/storage-file';
import { LevelStorage } from '@raft/storage-level';
import { LmdbStorage } from '@raft/storage-lmdb';
import { MemoryStorage } from '@raft/storage-memory';
import { NatsTransport } from '@raft/transport-nats';
import { ZmqTransport } from '@raft/transport-zmq';
import { ConfigError } from '../config/config-error.js';
import type { AdapterModulePath, KvOptions, MemberAddress } from '../config/options.js';

/** What a transport module receives besides the node's id and its peers' ids. */
export interface TransportContext {
  /** The `--cluster-id`: a transport should refuse messages from other clusters. */
  readonly clusterId: string;
  /** Every member's addresses from the cluster file (`raft` is free-form for a module transport). */
  readonly members: ReadonlyMap<NodeId, MemberAddress>;
  /** Where the transport reports problems worth an operator's attention. */
  readonly log: (message: string) => void;
}

/**
 * What a module named by `--transport <path>` or `--storage <path>` exports (either or both).
 * The signatures extend `ClusterAdapters` of `@raft/conformance/cluster`, so one module serves the
 * KV service, the conformance runner and the cluster tests.
 */
export interface AdapterModule {
  createTransport?(id: NodeId, peers: readonly NodeId[], context: TransportContext): Transport | Promise<Transport>;
  createStorage?(dir: string): Storage | Promise<Storage>;
}

/** The storage engine `--storage` names, opened on `--data-dir`. */
export async function openStorage(options: KvOptions): Promise<Storage> {
  const storage = options.storage;
  if (typeof storage === 'object') return (await adapterFunction(storage, 'createStorage'))(options.dataDir);
  switch (storage) {
    case 'file':
      return FileStorage.open(options.dataDir);
    case 'level':
      return LevelStorage.open(options.dataDir);
    case 'lmdb':
      return LmdbStorage.open(options.dataDir);
    case 'memory':
      return new MemoryStorage();
  }
}

/** The transport `--transport` names, reaching every member of the cluster. */
export async function createTransport(options: KvOptions, log: (message: string) => void): Promise<Transport> {
  const others: NodeId[] = [...options.members.keys()].filter((id) => id !== options.id);
  const transport = options.transport;
  if (typeof transport === 'object') {
    const create = await adapterFunction(transport, 'createTransport');
    return create(options.id, others, { clusterId: options.clusterId, members: options.members, log });
  }
  switch (transport) {
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
      throw new ConfigError('--transport memory connects nodes inside one process only; a raft-kv process needs zmq, nats or a transport module');
  }
}

/** Loads an adapter module and returns the factory it must export. */
async function adapterFunction<K extends keyof AdapterModule>(path: AdapterModulePath, name: K): Promise<NonNullable<AdapterModule[K]>> {
  let loaded: AdapterModule;
  try {
    loaded = (await import(pathToFileURL(path.module).href)) as AdapterModule;
  } catch (error) {
    throw new ConfigError(`cannot load the adapter module ${path.module}: ${(error as Error).message}`);
  }
  const factory = loaded[name];
  if (typeof factory !== 'function') {
    throw new ConfigError(`the adapter module ${path.module} does not export a function ${name}; see AdapterModule in the raft-kv README`);
  }
  return factory.bind(loaded) as NonNullable<AdapterModule[K]>;
}
