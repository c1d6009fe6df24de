/**
 * What the HTTP API needs from a node: the KV operations with outcomes already classified into
 * "definitely not applied" and "outcome unknown" — the distinction the conformance suite checks.
 */

/** The request was definitely not applied (no leader, overloaded, shutting down). HTTP 503. */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';
}

/** The outcome is unknown: the write may or may not commit later. HTTP 504. */
export class OutcomeUnknownError extends Error {
  override readonly name = 'OutcomeUnknownError';
}

/** The node is not the leader and the write must go to `leader` (or nowhere known, when 0). */
export class NotLeaderRedirect extends Error {
  override readonly name = 'NotLeaderRedirect';
  constructor(readonly leader: number) {
    super(leader ? `node ${leader} leads` : 'no leader is known');
  }
}

/** How fresh a read must be. */
export type ReadConsistency = 'linearizable' | 'stale';

/** Result of a compare-and-set. */
export type CasOutcome = { readonly ok: true; readonly index: number } | { readonly ok: false; readonly current: string | null };

/** A node's view of the cluster, as served by `GET /v1/status`. */
export interface KvStatus {
  readonly id: number;
  readonly role: string;
  readonly term: number;
  readonly leader: number;
  readonly commitIndex: number;
  readonly appliedIndex: number;
  readonly members: readonly number[];
}

/**
 * The operations behind the HTTP API. Writes throw {@link NotLeaderRedirect} on a follower,
 * {@link UnavailableError} when definitely not applied, {@link OutcomeUnknownError} otherwise.
 */
export interface KvService {
  put(key: string, value: string): Promise<{ readonly index: number }>;
  delete(key: string): Promise<{ readonly index: number }>;
  cas(key: string, expect: string | null, value: string): Promise<CasOutcome>;
  /** The value, or `null` when absent. */
  get(key: string, consistency: ReadConsistency): Promise<string | null>;
  status(): KvStatus;
}
