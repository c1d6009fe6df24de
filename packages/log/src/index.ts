/**
 * `@raft/log`: the runtime applications use. It drives the `@raft/core` consensus algorithm with
 * real time, a {@link Transport}, a {@link Storage} and a {@link StateMachine}, and exposes the
 * replicated log as RxJS streams.
 *
 * Everything an application or an adapter author needs is exported here, including the contracts
 * and types re-exported from `@raft/core`, so an application depends on `@raft/log` and its
 * adapters only.
 *
 * @packageDocumentation
 */
export { RaftNode, createRaftNode } from './node.js';
export type { RaftNodeOptions } from './options.js';
export type { StateMachine, LogPosition } from './state-machine.js';
export type { RaftStatus, Lifecycle } from './status.js';
export {
  OutcomeUnknownError,
  ProposalTimeoutError,
  OverloadedError,
  NodeStoppedError,
  EntrySupersededError,
  ReadTimeoutError,
  LeadershipTransferError,
  NodeFailedError,
  RaftOptionsError,
} from './errors.js';

// From @raft/core: the adapter contracts, the log's vocabulary, and the errors shared with the core.
export {
  NotLeaderError,
  ProposalDroppedError,
  CompactedError,
  EntryType,
  MessageType,
  Role,
  NONE,
  EMPTY,
} from '@raft/core';
export type {
  Transport,
  MessageHandler,
  Storage,
  PersistedState,
  StoredSnapshot,
  NodeId,
  Entry,
  HardState,
  ConfState,
  Snapshot,
  SnapshotMeta,
  Message,
  ReadOnlyMode,
} from '@raft/core';
