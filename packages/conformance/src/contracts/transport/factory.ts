import type { NodeId, Transport } from '@raft/core';

/**
 * How the transport contract suite builds the transports under test.
 *
 * @example
 * ```ts
 * transportContractSuite('memory', {
 *   async create() {
 *     const net = new MemoryNetwork();
 *     return { open: (id) => net.endpoint(id), dispose: async () => {} };
 *   },
 * });
 * ```
 */
export interface TransportContractFactory {
  /** Builds a fresh cluster of transports for `ids`, all sharing `clusterId`. Called once per test. */
  create(ids: readonly NodeId[], clusterId: string): Promise<TransportTestCluster>;
}

/** The transports of one test cluster, as built by a {@link TransportContractFactory}. */
export interface TransportTestCluster {
  /** A new, unstarted transport for `id` at its fixed address. Call again after closing the previous one to simulate a process restart. */
  open(id: NodeId): Transport;
  /** Releases everything the cluster owns (brokers, ports, remaining transports). */
  dispose(): Promise<void>;
}

/** What an adapter declares about itself, and how long the suite waits. */
export interface TransportSuiteOptions {
  /**
   * How long the suite waits for a condition (a delivery, a reconnection, handles released)
   * before failing the test. Default 10 000 ms.
   */
  readonly timeoutMs?: number;
  /** Entry payload size of the large message that must arrive intact. Default 4 MiB. */
  readonly largeMessageBytes?: number;
  /**
   * An entry payload size the adapter refuses by design (its frame limit). When given, the suite
   * checks that sending such a message returns `false` and does not throw.
   */
  readonly overLimitBytes?: number;
  /** Small messages sent back to back in the burst case. Default 10 000. */
  readonly burstSize?: number;
  /**
   * Whether the adapter may deliver a message more than once on a healthy link (e.g. a broker
   * that redelivers). Default `false`: every message arrives at most once.
   */
  readonly allowsDuplicates?: boolean;
  /** Messages sent to a dead peer in the bounded-memory case. Default 100 000. */
  readonly deadPeerSends?: number;
  /**
   * Heap growth allowed while sending to a dead peer, in bytes. The case sends 1 KiB messages, so
   * the default (32 MiB) is far below what keeping all 100 000 of them would take.
   */
  readonly deadPeerHeapBytes?: number;
}

/** {@link TransportSuiteOptions} with every default filled in. */
export type ResolvedTransportSuiteOptions = Required<Omit<TransportSuiteOptions, 'overLimitBytes'>> &
  Pick<TransportSuiteOptions, 'overLimitBytes'>;

/** Fills in the defaults of {@link TransportSuiteOptions}. */
export function resolveOptions(options: TransportSuiteOptions = {}): ResolvedTransportSuiteOptions {
  return {
    timeoutMs: options.timeoutMs ?? 10_000,
    largeMessageBytes: options.largeMessageBytes ?? 4 * 1024 * 1024,
    overLimitBytes: options.overLimitBytes,
    burstSize: options.burstSize ?? 10_000,
    allowsDuplicates: options.allowsDuplicates ?? false,
    deadPeerSends: options.deadPeerSends ?? 100_000,
    deadPeerHeapBytes: options.deadPeerHeapBytes ?? 32 * 1024 * 1024,
  };
}
