import type { Entry, HardState, Message, ReadState, Snapshot, SoftState } from './types.js';

/**
 * Everything a node needs its runtime to do, collected since the last {@link RawNode.advance}.
 *
 * The runtime handles a Ready in this order:
 * 1. persist `snapshot` (if any), then `entries` and `hardState` — durably;
 * 2. send `messages` (a leader may send its AppendEntries while step 1 is still in progress,
 *    Raft thesis §10.2.1; every other message must wait for step 1);
 * 3. apply `snapshot`, then `committedEntries`, in order, to the state machine;
 * 4. serve the reads in `readStates` once their index is applied;
 * 5. call `advance(ready)`.
 */
export interface Ready {
  /** Role or leader changed since the last Ready; `undefined` when unchanged. */
  readonly softState: SoftState | undefined;
  /** Hard state to persist; `undefined` when unchanged. */
  readonly hardState: HardState | undefined;
  /** Entries to append durably (replacing any stored suffix from `entries[0].index`). */
  readonly entries: readonly Entry[];
  /** A snapshot received from the leader, to persist and restore from; otherwise `undefined`. */
  readonly snapshot: Snapshot | undefined;
  /** Committed entries not yet handed out, to apply in order. Already persisted. */
  readonly committedEntries: readonly Entry[];
  /** Messages to send once the state they reflect is durable (see the ordering above). */
  readonly messages: readonly Message[];
  /** Completed ReadIndex requests. */
  readonly readStates: readonly ReadState[];
  /** `true` when `entries`, `hardState` or `snapshot` must be fsync'd before `messages` go out. */
  readonly mustSync: boolean;
}
