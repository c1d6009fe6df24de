import type { Router } from 'zeromq';
import { encodeMessage } from '@raft/core/codec';
import type { Message, MessageHandler, NodeId, Transport } from '@raft/core';
import { batchLimits } from './batch-frame.js';
import { Inbound } from './inbound.js';
import { resolveOptions, resolvePeers, type ResolvedOptions, type ZmqPeers, type ZmqTransportOptions } from './options.js';
import { PeerLink } from './peer-link.js';
import type { SendQueueLimits } from './send-queue.js';
import { bindRetrying } from './listener.js';
import { createReceiver, createSender, type SocketSettings } from './sockets.js';
import { ClientAuthenticator, curveContext } from './zap.js';

/** Counters for metrics. */
export interface ZmqTransportStats {
  /** Messages `send` accepted (queued). */
  readonly sent: number;
  /** Messages `send` refused (unknown peer, full queue, too large, not started or closed). */
  readonly dropped: number;
  /** Messages delivered to the handler. */
  readonly received: number;
  /**
   * Received and dropped: malformed batch frames, and messages that are undecodable, from another
   * cluster, or addressed to another node.
   */
  readonly rejected: number;
  /** With CURVE: connections refused because the client's public key is not in `curve.peerKeys`. */
  readonly refused: number;
}

/** ZeroMQ messages (each a batch frame of messages) received before yielding to the event loop. */
const RECEIVE_TURN_MESSAGES = 16;

/**
 * A Raft {@link Transport} over ZeroMQ on TCP: the node receives on a ROUTER socket bound to
 * `listen`, and sends to each peer on a DEALER socket of its own connected to the peer's address.
 * ZeroMQ connects in the background and reconnects by itself when a peer restarts.
 *
 * `send` encodes the message with `@raft/core/codec` and queues it in the peer's bounded queue;
 * everything queued for a peer in one turn of the event loop leaves as one ZeroMQ message
 * of a single frame (a batch, see `batch-frame.ts`). A full queue drops, so a slow or dead peer costs at most `sendQueueBytes` per peer.
 *
 * @example
 * ```ts
 * const transport = new ZmqTransport({
 *   id: 1,
 *   clusterId: 'orders',
 *   listen: 'tcp://10.0.0.1:9001',
 *   peers: { 2: 'tcp://10.0.0.2:9001', 3: 'tcp://10.0.0.3:9001' },
 * });
 * await transport.start((message) => node.step(message));
 * ```
 */
export class ZmqTransport implements Transport {
  readonly #options: ResolvedOptions;
  readonly #limits: SendQueueLimits;
  readonly #sockets: SocketSettings;
  #peers: ReadonlyMap<NodeId, string>;
  readonly #links = new Map<NodeId, PeerLink>();
  #receiver: Router | undefined;
  #receiving: Promise<void> | undefined;
  #inbound: Inbound | undefined;
  #authenticator: ClientAuthenticator | undefined;
  #state: 'new' | 'starting' | 'open' | 'closed' = 'new';
  #sent = 0;
  #dropped = 0;

  /** @throws TypeError naming the option that is wrong and what it must be. */
  constructor(options: ZmqTransportOptions) {
    this.#options = resolveOptions(options);
    this.#peers = this.#options.peers;
    // Larger batches would only delay the peer's first decode.
    this.#limits = {
      frames: this.#options.sendQueueLimit,
      bytes: this.#options.sendQueueBytes,
      ...batchLimits(this.#options.maxMessageBytes),
    };
    // With CURVE, the ZAP handler that authenticates clients must live in the listener's context.
    this.#sockets = { ...this.#options, context: this.#options.curve && curveContext() };
  }

  /**
   * Binds the receiving socket and connects to every peer. Resolves once bound; peers are
   * reached as they come up.
   *
   * @throws Error when the address cannot be bound (in use, not an address of this host), or when
   * called twice.
   */
  async start(handler: MessageHandler): Promise<void> {
    if (this.#state !== 'new') throw new Error(`start() was already called on this transport (it is ${this.#state})`);
    this.#state = 'starting';
    const { id, clusterId, listen, curve, maxMessageBytes } = this.#options;
    let authenticator: ClientAuthenticator | undefined;
    if (curve !== undefined) {
      // Registered before the listener is bound, so that no client is ever let in unchecked.
      authenticator = new ClientAuthenticator(curve.peerKeys, (line) => this.warn(line));
      this.#authenticator = authenticator;
      try {
        await authenticator.open();
      } catch (error) {
        if (this.isClosed()) return;
        this.#state = 'closed';
        throw new Error(
          `node ${id} cannot authenticate CURVE clients: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      if (this.isClosed()) return; // close() was called meanwhile and released the registration
    }
    const receiver = createReceiver(listen, this.#sockets, authenticator?.domain);
    this.#receiver = receiver;
    try {
      await bindRetrying(receiver, listen, () => this.isClosed());
    } catch (error) {
      if (this.isClosed()) return; // close() was called while binding and released the socket
      receiver.close();
      authenticator?.close();
      this.#receiver = undefined;
      this.#state = 'closed';
      throw new Error(
        `node ${id} cannot listen on ${listen}: ${error instanceof Error ? error.message : String(error)}; ` +
          'use an address of this host with a free port',
        { cause: error },
      );
    }
    if (this.isClosed()) return; // close() was called while binding and released the socket
    this.#state = 'open';
    const inbound = new Inbound({ id, clusterId, maxMessageBytes, deliver: handler, warn: (line) => this.warn(line) });
    this.#inbound = inbound;
    this.#receiving = this.receive(receiver, inbound);
    for (const [peer, address] of this.#peers) this.link(peer, address);
  }

  /**
   * Queues `message` for `message.to` and returns at once: `false` when it was dropped (not started,
   * closed, not a peer, queue full, or larger than `maxMessageBytes`).
   */
  send(message: Message): boolean {
    const link = this.#links.get(message.to);
    if (link === undefined) return this.drop();
    let frame: Uint8Array;
    try {
      frame = encodeMessage(message, this.#options.clusterId);
    } catch (error) {
      this.warn(`dropped a message to node ${message.to} that cannot be encoded: ${error instanceof Error ? error.message : String(error)}`);
      return this.drop();
    }
    if (frame.length > this.#options.maxMessageBytes) {
      this.warn(
        `dropped a ${frame.length}-byte message to node ${message.to}: larger than maxMessageBytes (${this.#options.maxMessageBytes}); raise it on every node`,
      );
      return this.drop();
    }
    if (!link.enqueue(frame)) return this.drop();
    this.#sent++;
    return true;
  }

  /**
   * Replaces the peer list, e.g. after a membership change: connects to new peers, disconnects
   * from removed ones (dropping what was queued for them) and reconnects to peers whose address
   * changed. Links to unchanged peers, and what is queued for them, are kept.
   *
   * @throws TypeError when an id or address is invalid or the list contains this node's id; the
   * previous list then stays in force.
   */
  setPeers(peers: ZmqPeers): void {
    const next = resolvePeers(peers, this.#options.id);
    this.#peers = next;
    if (this.#state !== 'open') return;
    for (const [peer, link] of this.#links) {
      if (next.get(peer) === link.address) continue;
      link.close();
      this.#links.delete(peer);
    }
    for (const [peer, address] of next) {
      if (!this.#links.has(peer)) this.link(peer, address);
    }
  }

  /** Counters for metrics. */
  stats(): ZmqTransportStats {
    return {
      sent: this.#sent,
      dropped: this.#dropped,
      received: this.#inbound?.delivered ?? 0,
      rejected: this.#inbound?.rejected ?? 0,
      refused: this.#authenticator?.refused ?? 0,
    };
  }

  /** Closes every socket at once, dropping whatever is still queued. Idempotent. */
  async close(): Promise<void> {
    if (this.#state !== 'closed') {
      this.#state = 'closed';
      for (const link of this.#links.values()) link.close();
      this.#links.clear();
      this.#receiver?.close();
      this.#authenticator?.close();
    }
    await this.#receiving;
  }

  private link(peer: NodeId, address: string): void {
    const curve = this.#options.curve;
    const peerKey = curve?.peerKeys.get(peer);
    if (curve !== undefined && peerKey === undefined) {
      throw new TypeError(`curve.peerKeys has no public key for peer ${peer}; with CURVE every peer needs one`);
    }
    const socket = createSender(this.#options.id, address, this.#sockets, peerKey);
    this.#links.set(peer, new PeerLink(peer, address, socket, this.#limits, (line) => this.warn(line)));
  }

  private async receive(receiver: Router, inbound: Inbound): Promise<void> {
    for (let received = 1; ; received++) {
      // receive() resolves at once while messages wait, so a flood would keep this loop in
      // microtasks and starve the node's timers and I/O; every so often it lets them run.
      if (received % RECEIVE_TURN_MESSAGES === 0) await new Promise(setImmediate);
      let parts: Buffer[];
      try {
        parts = await receiver.receive();
      } catch (error) {
        // Closing the socket ends a pending receive; any other failure would repeat forever.
        if (!this.isClosed()) {
          this.warn(`stopped receiving: ${error instanceof Error ? error.message : String(error)}`);
        }
        return;
      }
      const sender = parts[0]!;
      // A peer sends one frame per ZeroMQ message; anything else sent is checked part by part.
      // Each part is a buffer of its own (never reused by zeromq), so delivered entries may keep
      // views into it; it is viewed as a plain Uint8Array, the type the node expects.
      for (let i = 1; i < parts.length; i++) {
        const part = parts[i]!;
        inbound.accept(sender, new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
      }
    }
  }

  // A method, not a field comparison, because close() may run during any await of start().
  private isClosed(): boolean {
    return this.#state === 'closed';
  }

  private drop(): false {
    this.#dropped++;
    return false;
  }

  private warn(message: string): void {
    this.#options.logger?.warn(`[zmq node ${this.#options.id}] ${message}`);
  }
}
