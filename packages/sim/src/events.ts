import type { Entry, Message, NodeId, Role } from '@raft/core';
import type { LossReason } from './network.js';

/** Something that happened in a simulated cluster, in the order it happened. */
export type SimEvent = { readonly step: number } & (
  | { readonly kind: 'role'; readonly node: NodeId; readonly role: Role; readonly previous: Role | undefined; readonly term: number }
  | { readonly kind: 'commit'; readonly node: NodeId; readonly entry: Entry }
  | { readonly kind: 'crash'; readonly node: NodeId; readonly sentUnpersisted: number }
  | { readonly kind: 'restart'; readonly node: NodeId; readonly term: number; readonly lastIndex: number; readonly commit: number }
  | { readonly kind: 'partition'; readonly groups: readonly (readonly NodeId[])[] }
  | { readonly kind: 'heal' }
  | { readonly kind: 'propose'; readonly node: NodeId; readonly data: string; readonly outcome: string }
  | { readonly kind: 'read'; readonly node: NodeId; readonly context: string }
  | { readonly kind: 'transfer'; readonly from: NodeId; readonly to: NodeId }
  | { readonly kind: 'campaign'; readonly node: NodeId }
  | { readonly kind: 'membership'; readonly node: NodeId; readonly change: string; readonly outcome: string }
  | { readonly kind: 'compact'; readonly node: NodeId; readonly index: number }
  | { readonly kind: 'shutdown'; readonly node: NodeId }
  | { readonly kind: 'liveness'; readonly phase: 'start' | 'leader' | 'committed'; readonly ticks: number; readonly node?: NodeId }
  // Per-message detail, reported only when asked for (it dominates the cost of a traced run).
  | { readonly kind: 'tick' }
  | { readonly kind: 'deliver'; readonly message: Message }
  | { readonly kind: 'send'; readonly message: Message; readonly copies: number; readonly delay: number }
  | { readonly kind: 'lost'; readonly message: Message; readonly reason: LossReason | 'node down' }
);

