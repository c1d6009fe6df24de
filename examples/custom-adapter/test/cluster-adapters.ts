// A module of adapters for whole-cluster runs: the conformance runner (`pnpm conformance
// --transport <this file> --storage <this file>`) and ProcessCluster (test/raft-processes.test.ts)
// import it in every node process. It follows ClusterAdapters of @raft/conformance/cluster; the
// runner's raft-kv nodes also pass a context with the cluster id and every member's `raft` address
// from the cluster file, while ProcessCluster passes ids only, so then the addresses come from the
// environment, set by the test.
import type { NodeId } from '@raft/core';
import { JsonlStorage, TcpTransport } from '../src/index.js';

export const ADDRESSES_ENV = 'RAFT_EXAMPLE_TCP_ADDRESSES';

/** The part of raft-kv's transport context this module uses. */
interface Context {
  readonly clusterId: string;
  readonly members: ReadonlyMap<NodeId, { readonly raft?: string }>;
  readonly log: (message: string) => void;
}

export function createTransport(id: NodeId, peers: readonly NodeId[], context?: Context): TcpTransport {
  const fromEnvironment = JSON.parse(process.env[ADDRESSES_ENV] ?? '{}') as Record<string, string>;
  const address = (node: NodeId): string => {
    const found = context ? context.members.get(node)?.raft : fromEnvironment[node];
    if (found === undefined) throw new Error(`no address for node ${node}: ${context ? 'add it to the cluster file' : `set ${ADDRESSES_ENV}`}`);
    return found;
  };
  return new TcpTransport({
    id,
    clusterId: context?.clusterId ?? 'custom-adapter-processes',
    listen: address(id),
    peers: new Map(peers.map((peer) => [peer, address(peer)])),
    onError: (error) => context?.log(error.message),
  });
}

export function createStorage(dir: string): Promise<JsonlStorage> {
  return JsonlStorage.open(dir);
}
