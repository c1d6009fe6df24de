/**
 * The line protocol between a test and a Raft node process it runs: one JSON object per line,
 * requests on the node's stdin, replies and events on its stdout.
 *
 * @module
 */
import type { NodeId } from '@raft/core';

/** What the parent asks a node process to do. */
export type NodeRequest =
  | { readonly id: number; readonly op: 'propose'; readonly value: number }
  | { readonly id: number; readonly op: 'read' }
  | { readonly id: number; readonly op: 'status' }
  | { readonly id: number; readonly op: 'addVoter' | 'addLearner' | 'removeNode'; readonly node: NodeId };

/** A node process's view of itself and of what it applied. */
export interface NodeProcessStatus {
  readonly id: NodeId;
  readonly role: string;
  readonly term: number;
  readonly leader: NodeId;
  readonly commit: number;
  readonly applied: number;
  readonly voters: readonly NodeId[];
  /** Every command value applied since the process started (after what its snapshot restored). */
  readonly values: readonly number[];
}

/** A reply to the request with the same `id`. */
export type NodeReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string; readonly leader?: NodeId } };

/** Something the node reports on its own. */
export type NodeEvent = { readonly event: 'started' } | { readonly event: 'failed'; readonly message: string };

/** How the parent starts one node process (passed as JSON in its argv). */
export interface NodeProcessConfig {
  readonly id: NodeId;
  readonly peers: readonly NodeId[];
  readonly join: boolean;
  readonly dataDir: string;
  /** Absolute path of a module exporting `createTransport` and `createStorage` (see {@link ClusterAdapters}). */
  readonly adapters: string;
  readonly tickMs: number;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly snapshotEntries: number;
}
