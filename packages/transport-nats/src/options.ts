import type { NatsConnection, NodeConnectionOptions } from '@nats-io/transport-node';
import type { NodeId } from '@raft/core';

/** Where the transport reports what it dropped and why. */
export interface NatsTransportLogger {
  warn(message: string): void;
}

/** Options of {@link NatsTransport}. */
export interface NatsTransportOptions {
  /** This node's id: it receives on `<subjectPrefix>.<cluster>.<id>`. */
  readonly id: NodeId;
  /**
   * The cluster's name: a subject token, and the cluster id stamped in every frame, so a node never
   * accepts a message from another cluster even if subjects were shared by mistake.
   */
  readonly cluster: string;
  /**
   * How to reach NATS: options for `connect` of `@nats-io/transport-node` (servers,
   * credentials/authenticator, TLS, reconnect settings), in which case the transport owns the
   * connection and closes it; or an open connection, which the transport only subscribes on and
   * leaves open on close.
   *
   * For failover, list several servers of the NATS cluster. Options you leave out default to
   * reconnecting forever and to leaving a hung server within seconds (the README lists these
   * defaults); an open connection is used as it was configured.
   */
  readonly connection: NodeConnectionOptions | NatsConnection;
  /**
   * The ids of the nodes this node sends to; `send` refuses any other id at once (returns
   * `false`). Follow membership changes with the transport's `setPeers`. Default: every
   * positive id, since NATS routes by id alone and needs no address — a message to an id no node
   * serves is then discarded by the server instead.
   */
  readonly peers?: Iterable<NodeId>;
  /** First subject tokens, dot-separated. Default `raft`. */
  readonly subjectPrefix?: string;
  /**
   * Bytes published but not yet confirmed by the server beyond which `send` drops. Bounds the
   * client's buffer when the server is slow or unreachable. Default 64 MiB, like `maxMessageBytes`:
   * a window smaller than a few large messages throttles snapshot-sized traffic (8 MiB gave 63% of
   * raw NATS throughput for 4 MiB messages, 64 MiB gave 75%).
   */
  readonly maxOutstandingBytes?: number;
  /** Largest encoded message sent or reassembled (snapshots must fit). Default 64 MiB. */
  readonly maxMessageBytes?: number;
  /** Bytes held at once for messages being reassembled from chunks. Default 128 MiB. */
  readonly maxReassemblyBytes?: number;
  /** A chunked message whose next chunk takes longer than this is abandoned. Default 10 s. */
  readonly reassemblyTimeoutMs?: number;
  /**
   * How long `close()` lets a connection the transport opened drain (send what is buffered, end
   * its subscriptions) before closing it anyway: a server that hangs must not hold `close()` up.
   * Default 2 s.
   */
  readonly drainTimeoutMs?: number;
  /** Told about dropped and malformed frames and connection changes. Default: silent. */
  readonly logger?: NatsTransportLogger;
}

/** {@link NatsTransportOptions} with every default applied and checked. */
export interface ResolvedOptions extends Required<Omit<NatsTransportOptions, 'logger' | 'peers'>> {
  /** `undefined`: any positive id. */
  readonly peers: ReadonlySet<NodeId> | undefined;
  readonly logger: NatsTransportLogger | undefined;
}

const MiB = 1024 * 1024;

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * Checks a list of peer ids.
 *
 * @throws TypeError naming the id that is not a positive integer.
 */
export function resolvePeers(peers: Iterable<NodeId>): ReadonlySet<NodeId> {
  const resolved = new Set<NodeId>();
  for (const peer of peers) resolved.add(positiveInteger('each id in peers', peer));
  return resolved;
}

/**
 * Applies defaults and checks the options.
 *
 * @throws TypeError naming the option that is wrong and what it must be.
 */
export function resolveOptions(options: NatsTransportOptions): ResolvedOptions {
  const maxMessageBytes = positiveInteger('maxMessageBytes', options.maxMessageBytes ?? 64 * MiB);
  const maxReassemblyBytes = positiveInteger('maxReassemblyBytes', options.maxReassemblyBytes ?? 128 * MiB);
  if (maxMessageBytes > maxReassemblyBytes) {
    throw new TypeError(
      `maxMessageBytes (${maxMessageBytes}) must not exceed maxReassemblyBytes (${maxReassemblyBytes}), or no large message could be reassembled`,
    );
  }
  return {
    id: positiveInteger('id', options.id),
    cluster: options.cluster,
    connection: options.connection,
    peers: options.peers === undefined ? undefined : resolvePeers(options.peers),
    subjectPrefix: options.subjectPrefix ?? 'raft',
    maxOutstandingBytes: positiveInteger('maxOutstandingBytes', options.maxOutstandingBytes ?? 64 * MiB),
    maxMessageBytes,
    maxReassemblyBytes,
    reassemblyTimeoutMs: positiveInteger('reassemblyTimeoutMs', options.reassemblyTimeoutMs ?? 10_000),
    drainTimeoutMs: positiveInteger('drainTimeoutMs', options.drainTimeoutMs ?? 2_000),
    logger: options.logger,
  };
}
