import type { NodeId, Storage, Transport } from '@raft/core';

/**
 * What a module passed to a {@link ProcessCluster} exports: how each node process builds its
 * transport and storage. Everything else about a node is the same for every adapter, which is what
 * lets the same cluster tests run over any transport × storage, including a third party's.
 *
 * @example
 * ```ts
 * // my-adapters.ts
 * export const createTransport = (id, peers) => new MyTransport({ id, peers, ... });
 * export const createStorage = (dir) => MyStorage.open(dir);
 * ```
 */
export interface ClusterAdapters {
  createTransport(id: NodeId, peers: readonly NodeId[]): Transport | Promise<Transport>;
  createStorage(dir: string): Storage | Promise<Storage>;
}
