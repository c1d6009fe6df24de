import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { ConfChange, ConfState, Message, NodeId, NodeStatus, PersistedState, RaftConfig, Ready, SnapshotMeta } from '@raft/core';

/** The part of a node's status the simulator reads. */
export type SimNodeStatus = Pick<
  NodeStatus,
  'id' | 'role' | 'term' | 'vote' | 'leader' | 'commit' | 'applied' | 'firstIndex' | 'lastIndex' | 'conf'
>;

/**
 * The RawNode surface the simulator drives. Declared structurally, not imported, so that the
 * simulator can run against any implementation with this shape — including a deliberately broken
 * copy of the core loaded with `--core`.
 */
export interface RaftNode {
  tick(): void;
  step(message: Message): void;
  propose(data: Uint8Array): { index: number; term: number };
  proposeConfChange(change: ConfChange): { index: number; term: number };
  compact(meta: SnapshotMeta): void;
  readIndex(context: Uint8Array): void;
  transferLeadership(to: NodeId): void;
  campaign(): void;
  reportUnreachable(peer: NodeId): void;
  reportSnapshot(peer: NodeId, ok: boolean): void;
  hasReady(): boolean;
  ready(): Ready;
  advance(ready: Ready): void;
  status(): SimNodeStatus;
}

/** A RawNode class: builds a node from its config, its durable state and the bootstrap configuration. */
export type RaftNodeConstructor = new (config: RaftConfig, persisted: PersistedState, bootstrap: ConfState) => RaftNode;

/**
 * Loads a core implementation from a module file that exports `RawNode`.
 * TypeScript modules load when the process runs with tsx (as `pnpm sim` does).
 *
 * @throws Error naming the module when it has no `RawNode` export.
 */
export async function loadCore(modulePath: string): Promise<RaftNodeConstructor> {
  const url = pathToFileURL(resolve(modulePath)).href;
  const loaded = (await import(url)) as { RawNode?: unknown };
  if (typeof loaded.RawNode !== 'function') {
    throw new Error(`${modulePath} does not export a RawNode class; point --core at a module that does (e.g. a copy of packages/core/src/index.ts)`);
  }
  return loaded.RawNode as RaftNodeConstructor;
}
