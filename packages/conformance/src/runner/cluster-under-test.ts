/**
 * What the conformance runner needs from a cluster: the KV HTTP API of every node (DESIGN.md)
 * and the controls its nemeses use. raft-kv's `LocalKvCluster` implements it over OS processes;
 * another harness can too.
 */
export interface ClusterUnderTest {
  /** Every member's id and the base URL of its KV HTTP API. */
  readonly members: readonly { readonly id: number; readonly http: string }[];
  isRunning(id: number): boolean;
  isPaused(id: number): boolean;
  /** Kills the node's process at once (SIGKILL): no chance to flush anything. */
  kill(id: number): Promise<void>;
  /** Starts a killed node again from its data directory; resolves once it serves HTTP. */
  restart(id: number): Promise<void>;
  /** Freezes the node (SIGSTOP). */
  pause(id: number): void;
  /** Unfreezes it (SIGCONT). */
  resume(id: number): Promise<void>;
  /**
   * Sets what the network does to the node's Raft traffic: drop everything to and from `blocked`;
   * lose, duplicate (probabilities) and delay (up to `delayMs`) what it sends. `{}` heals it.
   */
  network(id: number, faults: NetworkFaults): Promise<void>;
  /** The node's `/v1/status`, or `undefined` if it does not answer promptly. */
  status(id: number): Promise<{ readonly role: string; readonly term: number; readonly leader: number } | undefined>;
  /** Resolves with the leader once every running node agrees on one; rejects after `timeoutMs`. */
  waitForLeader(timeoutMs: number): Promise<number>;
}

/** A node's network faults (see {@link ClusterUnderTest.network}). */
export interface NetworkFaults {
  readonly blocked?: readonly number[];
  readonly drop?: number;
  readonly duplicate?: number;
  readonly delayMs?: number;
}
