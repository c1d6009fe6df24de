import type { NodeId } from '@raft/core';

/** Where the transport reports what it dropped and why. */
export interface ZmqTransportLogger {
  warn(message: string): void;
}

/** Peer addresses by node id: a plain object (`{ 2: 'tcp://…' }`) or a map. */
export type ZmqPeers = Readonly<Record<NodeId, string>> | ReadonlyMap<NodeId, string>;

/** Options of {@link ZmqTransport}. */
export interface ZmqTransportOptions {
  /** This node's id, a positive integer. Its connections to peers identify themselves with it. */
  readonly id: NodeId;
  /**
   * The cluster id stamped in every frame: a node drops frames of any other cluster, so two
   * clusters whose addresses overlap by mistake still cannot talk to each other.
   */
  readonly clusterId: string;
  /**
   * The address this node receives on, `tcp://<host>:<port>`: an interface address, a host name,
   * `[<ipv6>]`, or `*` for every interface. The port must be given (peers are configured with it).
   */
  readonly listen: string;
  /**
   * The address each peer listens on, `tcp://<host>:<port>`, by node id. `send` refuses any other
   * id at once. Not this node's own id. Follow membership changes with `setPeers`.
   */
  readonly peers: ZmqPeers;
  /** Messages queued per peer beyond which `send` drops. Default 4096. */
  readonly sendQueueLimit?: number;
  /**
   * Encoded bytes queued per peer beyond which `send` drops. A message larger than this is still
   * queued when the peer's queue is empty, so one snapshot up to `maxMessageBytes` always fits.
   * Default 8 MiB.
   */
  readonly sendQueueBytes?: number;
  /**
   * Largest encoded message sent or received. Larger messages are refused by `send`; a received
   * batch frame that holds one anyway is dropped whole (and logged), and a peer that sends a frame
   * larger than any batch within this limit is disconnected by ZeroMQ (and reconnects). Use the same
   * value on every node.
   * Default 64 MiB.
   */
  readonly maxMessageBytes?: number;
  /** First delay before reconnecting to a peer that is unreachable. Default 100 ms. */
  readonly reconnectIntervalMs?: number;
  /** Longest delay between reconnection attempts (doubling from `reconnectIntervalMs`). Default 1000 ms. */
  readonly reconnectMaxIntervalMs?: number;
  /** Told about dropped and malformed frames. Default: silent. */
  readonly logger?: ZmqTransportLogger;
  /**
   * CURVE encryption (ZeroMQ's CurveZMQ): every connection is encrypted, a node sends only to
   * peers that prove they hold the secret key matching the public key configured for them, and its
   * listener admits only clients whose public key is one of `peerKeys` (checked by a ZAP handler;
   * each refused key is logged once).
   * Keys are Z85 strings of 40 characters, e.g. from `curveKeyPair()` of the `zeromq` package.
   * Default: plain TCP (use it on trusted networks only).
   */
  readonly curve?: ZmqCurveOptions;
}

/** CURVE keys: this node's key pair and every peer's public key. */
export interface ZmqCurveOptions {
  readonly publicKey: string;
  readonly secretKey: string;
  /** Each peer's public key, by node id (the same ids as `peers`). */
  readonly peerKeys: Readonly<Record<NodeId, string>> | ReadonlyMap<NodeId, string>;
}

/** {@link ZmqCurveOptions} checked, peer keys as a map. */
export interface ResolvedCurve {
  readonly publicKey: string;
  readonly secretKey: string;
  readonly peerKeys: ReadonlyMap<NodeId, string>;
}

/** {@link ZmqTransportOptions} with every default applied and checked. */
export interface ResolvedOptions extends Required<Omit<ZmqTransportOptions, 'logger' | 'peers' | 'curve'>> {
  readonly peers: ReadonlyMap<NodeId, string>;
  readonly logger: ZmqTransportLogger | undefined;
  readonly curve: ResolvedCurve | undefined;
}

const MiB = 1024 * 1024;

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

// host: a name or IPv4 address, a bracketed IPv6 address, or `*` (checked separately: listen only).
const TCP_ADDRESS = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+|\*):(\d{1,5})$/;

/**
 * Checks a `tcp://<host>:<port>` address; `*` as host is accepted only where `wildcard` is true.
 *
 * @throws TypeError naming the option, the address and the expected form.
 */
export function checkTcpAddress(name: string, address: unknown, wildcard: boolean): string {
  const match = typeof address === 'string' ? TCP_ADDRESS.exec(address) : null;
  const port = match ? Number(match[2]) : 0;
  if (!match || port < 1 || port > 65_535 || (match[1] === '*' && !wildcard)) {
    throw new TypeError(
      `${name} must be an address of the form tcp://<host>:<port> with a port from 1 to 65535` +
        `${wildcard ? ' (host * listens on every interface)' : ''}, got ${JSON.stringify(address)}`,
    );
  }
  return address as string;
}

/**
 * Checks peer addresses against this node's id.
 *
 * @throws TypeError naming the id or address that is wrong.
 */
export function resolvePeers(peers: ZmqPeers, ownId: NodeId): ReadonlyMap<NodeId, string> {
  if (typeof peers !== 'object' || peers === null) {
    throw new TypeError('peers must map each other node id to its address, e.g. { 2: "tcp://10.0.0.2:9001" }');
  }
  const entries: Iterable<readonly [unknown, string]> =
    peers instanceof Map ? peers.entries() : Object.entries(peers as Record<NodeId, string>);
  const resolved = new Map<NodeId, string>();
  for (const [key, address] of entries) {
    const id = positiveInteger('each id in peers', Number(key));
    if (id === ownId) {
      throw new TypeError(`peers must not contain this node's own id (${id}); list only the other nodes`);
    }
    resolved.set(id, checkTcpAddress(`the address of peer ${id}`, address, false));
  }
  return resolved;
}

/**
 * Applies defaults and checks the options.
 *
 * @throws TypeError naming the option that is wrong and what it must be.
 */
export function resolveOptions(options: ZmqTransportOptions): ResolvedOptions {
  const id = positiveInteger('id', options.id);
  if (typeof options.clusterId !== 'string' || options.clusterId.length === 0) {
    throw new TypeError('clusterId must be a non-empty string, the same on every node of the cluster');
  }
  const reconnectIntervalMs = positiveInteger('reconnectIntervalMs', options.reconnectIntervalMs ?? 100);
  const reconnectMaxIntervalMs = positiveInteger('reconnectMaxIntervalMs', options.reconnectMaxIntervalMs ?? 1000);
  if (reconnectMaxIntervalMs < reconnectIntervalMs) {
    throw new TypeError(
      `reconnectMaxIntervalMs (${reconnectMaxIntervalMs}) must not be less than reconnectIntervalMs (${reconnectIntervalMs})`,
    );
  }
  return {
    id,
    clusterId: options.clusterId,
    listen: checkTcpAddress('listen', options.listen, true),
    peers: resolvePeers(options.peers, id),
    sendQueueLimit: positiveInteger('sendQueueLimit', options.sendQueueLimit ?? 4096),
    sendQueueBytes: positiveInteger('sendQueueBytes', options.sendQueueBytes ?? 8 * MiB),
    maxMessageBytes: positiveInteger('maxMessageBytes', options.maxMessageBytes ?? 64 * MiB),
    reconnectIntervalMs,
    reconnectMaxIntervalMs,
    logger: options.logger,
    curve: options.curve === undefined ? undefined : resolveCurve(options.curve),
  };
}

const Z85_KEY = /^[0-9a-zA-Z.\-:+=^!/*?&<>()[\]{}@%$#]{40}$/;

function curveKey(name: string, key: unknown): string {
  if (typeof key !== 'string' || !Z85_KEY.test(key)) {
    throw new TypeError(`${name} must be a CURVE key in Z85 (40 characters), e.g. from curveKeyPair() of the zeromq package`);
  }
  return key;
}

function resolveCurve(curve: ZmqCurveOptions): ResolvedCurve {
  const entries: Iterable<readonly [unknown, string]> =
    curve.peerKeys instanceof Map ? curve.peerKeys : Object.entries(curve.peerKeys as Record<string, string>);
  const peerKeys = new Map<NodeId, string>();
  for (const [peer, key] of entries) peerKeys.set(Number(peer), curveKey(`curve.peerKeys[${String(peer)}]`, key));
  return { publicKey: curveKey('curve.publicKey', curve.publicKey), secretKey: curveKey('curve.secretKey', curve.secretKey), peerKeys };
}
