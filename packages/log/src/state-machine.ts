/**
 * The application's side of the replicated log.
 *
 * @module
 */

/** Where a command sits in the log. */
export interface LogPosition {
  /** Log index of the entry, starting at 1. */
  readonly index: number;
  /** Term of the leader that appended it. */
  readonly term: number;
}

/**
 * The deterministic state machine every replica applies the committed commands to.
 *
 * `apply` is called once per committed command, strictly in log order, never for an uncommitted
 * entry, and never concurrently: the node waits for a returned promise before it applies the next
 * entry or pulls more committed entries from the core. That wait is the runtime's backpressure: a
 * slow state machine slows commitment instead of growing a buffer.
 *
 * The command is exactly the bytes passed to {@link RaftNode.propose} on the leader; the value
 * returned is what that `propose` call resolves with (on that node only: other replicas discard it).
 * `apply` must be deterministic and must not throw for a committed command — report an invalid
 * command in the returned result instead. A throw stops the node with a {@link NodeFailedError},
 * because skipping an entry would make replicas diverge.
 *
 * Leader no-ops and membership entries are not passed to `apply` (they appear on
 * {@link RaftNode.committed$}). Snapshot support (`snapshot()` / `restore()`) will extend this
 * interface with optional methods; state machines written against it now stay valid.
 *
 * @typeParam R - what `apply` returns, and so what `propose` resolves with.
 */
export interface StateMachine<R = unknown> {
  apply(command: Uint8Array, position: LogPosition): R | Promise<R>;

  /**
   * Captures the whole state as it is now, for a snapshot that lets the node compact its log.
   * The state must be captured at the call (copy it, or use a persistent structure): the returned
   * bytes may be consumed while later entries are applied. Return one buffer or a stream of chunks.
   * Optional: without it the node never compacts, and followers that fall behind a compaction
   * elsewhere cannot be caught up by this node.
   */
  snapshot?(): Uint8Array | AsyncIterable<Uint8Array> | Promise<Uint8Array | AsyncIterable<Uint8Array>>;

  /**
   * Replaces the whole state with a snapshot's (when the node restarts from one, or a leader sends
   * one because this node fell behind its compacted log). Required when `snapshot` is given.
   */
  restore?(data: AsyncIterable<Uint8Array>): void | Promise<void>;
}
