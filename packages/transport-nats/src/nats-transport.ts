import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Message, MessageHandler, NodeId, Transport } from '@raft/core';
import { encodeMessage } from '@raft/core/codec';
import { BUNDLE_OVERHEAD_BYTES, packBundles } from './bundling.js';
import { splitIntoChunks } from './chunking.js';
import { ConnectionWatch, isNatsConnection, openConnection } from './connection.js';
import { Inbound } from './inbound.js';
import { Outbox } from './outbox.js';
import { resolveOptions, resolvePeers, type NatsTransportOptions, type ResolvedOptions } from './options.js';
import { SendWindow } from './send-window.js';
import { Subjects } from './subjects.js';

/** Counters of what a {@link NatsTransport} did, for metrics and tests. */
export interface NatsTransportStats {
  /** Messages `send` accepted (which is no promise of delivery). */
  readonly sent: number;
  /** Messages `send` refused: not started, closed, disconnected, window full, too large. */
  readonly dropped: number;
  /** Messages delivered to the handler. */
  readonly received: number;
  /** Frames or chunks received and discarded as malformed, misaddressed or from another cluster. */
  readonly malformed: number;
  /** Chunked messages abandoned because a chunk was lost or arrived too late. */
  readonly abandoned: number;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Drains a connection the transport opened, so what was published before `close()` still goes
 * out, then closes it. Draining needs a live link that answers: without one, when draining fails,
 * or when it takes longer than `timeoutMs` (a hung server), the connection is closed anyway.
 */
async function closeOwnedConnection(connection: NatsConnection, connected: boolean, timeoutMs: number): Promise<void> {
  if (connected) {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    try {
      await Promise.race([connection.drain(), timedOut]);
    } catch {
      // closed below
    } finally {
      clearTimeout(timer);
    }
  }
  if (!connection.isClosed()) await connection.close();
}

/** Connection state that exists between `start` and `close`. */
interface Live {
  readonly connection: NatsConnection;
  readonly owned: boolean;
  readonly watch: ConnectionWatch;
  readonly window: SendWindow;
  readonly subscriptions: readonly Subscription[];
}

/**
 * A Raft {@link Transport} over core NATS (no JetStream).
 *
 * Node `n` of cluster `c` receives on `<prefix>.c.n`; a sender needs nothing but the peer's id.
 * Frames are the `@raft/core/codec` encoding; one larger than the connected server's max_payload
 * is split into chunks on `<prefix>.c.n.chunk` and reassembled by the receiver within bounded
 * memory. `send` never blocks: it drops for an id outside `peers`, while the client is
 * disconnected, or while more than `maxOutstandingBytes` are still on their way to the server.
 * When the server the client is on dies or hangs, the NATS client reconnects to another server of
 * the cluster and re-subscribes, and messages flow again; those published in between are lost,
 * which Raft tolerates.
 */
export class NatsTransport implements Transport {
  readonly #options: ResolvedOptions;
  readonly #subjects: Subjects;
  readonly #inbound: Inbound;
  readonly #outbox = new Outbox((to, frames) => {
    if (this.#live !== undefined) this.publish(this.#live, to, frames);
  });
  #live: Live | undefined;
  #handler: MessageHandler | undefined;
  #closing: Promise<void> | undefined;
  #peers: ReadonlySet<NodeId> | undefined;
  #sequence = 0;
  #stats = { sent: 0, dropped: 0, received: 0, malformed: 0 };

  /** @throws TypeError when an option is invalid (the message names it). */
  constructor(options: NatsTransportOptions) {
    this.#options = resolveOptions(options);
    this.#peers = this.#options.peers;
    this.#subjects = new Subjects(this.#options.subjectPrefix, this.#options.cluster);
    this.#inbound = new Inbound({
      id: this.#options.id,
      cluster: this.#options.cluster,
      limits: {
        maxMessageBytes: this.#options.maxMessageBytes,
        maxBufferedBytes: this.#options.maxReassemblyBytes,
        timeoutMs: this.#options.reassemblyTimeoutMs,
      },
      deliver: (message) => this.deliver(message),
      discard: (reason) => this.discard(reason),
    });
  }

  /** This node's id. */
  get id(): NodeId {
    return this.#options.id;
  }

  /** The NATS connection, once started (e.g. to see which server it is on). */
  get connection(): NatsConnection | undefined {
    return this.#live?.connection;
  }

  /**
   * Replaces the ids `send` accepts (see {@link NatsTransportOptions.peers}), e.g. after a
   * membership change adds or removes a node.
   *
   * @throws TypeError when an id is not a positive integer.
   */
  setPeers(peers: Iterable<NodeId>): void {
    this.#peers = resolvePeers(peers);
  }

  /** What the transport has sent, dropped and received so far. */
  stats(): NatsTransportStats {
    return { ...this.#stats, abandoned: this.#inbound.abandoned };
  }

  /**
   * Connects (unless given a connection), subscribes to this node's subjects and resolves once
   * the server has registered the subscriptions.
   *
   * @throws Error when NATS cannot be reached (the message says where it tried) or when called twice.
   */
  async start(handler: MessageHandler): Promise<void> {
    if (this.#handler !== undefined || this.#closing !== undefined) {
      throw new Error('NatsTransport.start() was already called; create a new transport to start again');
    }
    this.#handler = handler;
    const given = this.#options.connection;
    const owned = !isNatsConnection(given);
    const connection = owned ? await openConnection(given) : given;
    if (this.#closing !== undefined) {
      // close() was called while connecting: it found nothing to release, so release it here.
      if (owned) await connection.close();
      return;
    }
    const { id } = this.#options;
    const subscriptions = [
      connection.subscribe(this.#subjects.frames(id), { callback: this.receiving((data) => this.#inbound.onBundle(data)) }),
      connection.subscribe(this.#subjects.chunks(id), { callback: this.receiving((data) => this.#inbound.onChunk(data)) }),
    ];
    this.#live = {
      connection,
      owned,
      watch: new ConnectionWatch(connection, (event) => this.warn(event)),
      window: new SendWindow(this.#options.maxOutstandingBytes, () => connection.flush()),
      subscriptions,
    };
    await connection.flush();
  }

  /**
   * Queues `message` for its recipient and returns at once; `false` when it was dropped (not
   * started, closed, not a peer, disconnected, too many bytes outstanding, or too large). Messages
   * sent in the same turn of the event loop to the same peer leave together and in order: in one
   * NATS message when they fit the server's max_payload, in chunks otherwise.
   */
  send(message: Message): boolean {
    const live = this.#live;
    if (live === undefined || this.#closing !== undefined || !live.watch.connected) return this.drop();
    if (!this.isPeer(message.to)) return this.drop();
    // Checked before encoding too, so a flood to a stalled server costs no encoding work.
    if (!live.window.admits(1)) return this.drop();
    let frame: Uint8Array;
    try {
      frame = encodeMessage(message, this.#options.cluster);
    } catch (error) {
      this.warn(`dropped a message to node ${message.to} that cannot be encoded: ${describe(error)}`);
      return this.drop();
    }
    if (frame.length > this.#options.maxMessageBytes) {
      this.warn(
        `dropped a ${frame.length}-byte message to node ${message.to}: larger than maxMessageBytes (${this.#options.maxMessageBytes}); raise it on every node`,
      );
      return this.drop();
    }
    if (!live.window.admits(frame.length)) return this.drop();
    live.window.reserve(frame.length);
    this.#outbox.add(message.to, frame);
    this.#stats.sent++;
    return true;
  }

  private isPeer(id: NodeId): boolean {
    return this.#peers === undefined ? Number.isSafeInteger(id) && id > 0 : this.#peers.has(id);
  }

  /**
   * Publishes the frames queued for `to`, in order: each run of frames that fit the server's
   * max_payload in as few bundles as possible, each larger frame in chunks. The limit is read
   * now, not at `send`, because a reconnect may have moved the client to a server with another.
   */
  private publish(live: Live, to: NodeId, frames: Uint8Array[]): void {
    const bytes = frames.reduce((sum, frame) => sum + frame.length, 0);
    try {
      const maxPayload = live.connection.info?.max_payload;
      if (maxPayload === undefined) throw new Error('the client has not received the server\'s INFO');
      const fits = (frame: Uint8Array): boolean => BUNDLE_OVERHEAD_BYTES + frame.length <= maxPayload;
      let run: Uint8Array[] = [];
      for (const frame of frames) {
        if (fits(frame)) {
          run.push(frame);
          continue;
        }
        if (run.length > 0) this.publishBundles(live, to, run, maxPayload);
        run = [];
        this.publishChunks(live, to, frame, maxPayload);
      }
      if (run.length > 0) this.publishBundles(live, to, run, maxPayload);
    } catch (error) {
      // send() already returned true, which never promised delivery: losing these is a drop.
      this.warn(`lost ${frames.length} message(s) to node ${to} while publishing: ${describe(error)}`);
    } finally {
      live.window.published(bytes);
    }
  }

  private publishBundles(live: Live, to: NodeId, frames: Uint8Array[], maxPayload: number): void {
    const subject = this.#subjects.frames(to);
    for (const bundle of packBundles(frames, maxPayload)) live.connection.publish(subject, bundle);
  }

  private publishChunks(live: Live, to: NodeId, frame: Uint8Array, maxPayload: number): void {
    this.#sequence = (this.#sequence + 1) >>> 0;
    const subject = this.#subjects.chunks(to);
    for (const chunk of splitIntoChunks(frame, this.#options.id, this.#sequence, maxPayload)) {
      live.connection.publish(subject, chunk);
    }
  }

  /**
   * Unsubscribes and, if the transport opened the connection, drains and closes it. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.shutdown();
    return this.#closing;
  }

  private async shutdown(): Promise<void> {
    this.#inbound.close();
    const live = this.#live;
    if (live === undefined) return;
    // What send() accepted this turn goes out before the connection is drained.
    this.#outbox.flush();
    const connected = live.watch.connected;
    live.watch.stop();
    if (live.owned) {
      await closeOwnedConnection(live.connection, connected, this.#options.drainTimeoutMs);
    } else {
      for (const subscription of live.subscriptions) subscription.unsubscribe();
    }
  }

  /** Unwraps a subscription callback: NATS reports subscription errors through it. */
  private receiving(handle: (payload: Uint8Array) => void): (error: Error | null, msg: Msg) => void {
    return (error, msg) => {
      if (error !== null) this.warn(`subscription error: ${error.message}`);
      else if (this.#closing === undefined) handle(msg.data);
    };
  }

  private deliver(message: Message): void {
    this.#stats.received++;
    try {
      this.#handler?.(message);
    } catch (cause) {
      this.warn(`the message handler threw on a message from node ${message.from}: ${describe(cause)}`);
    }
  }

  private drop(): false {
    this.#stats.dropped++;
    return false;
  }

  private discard(reason: string): void {
    this.#stats.malformed++;
    this.warn(`dropped ${reason}`);
  }

  private warn(message: string): void {
    this.#options.logger?.warn(`[raft nats transport ${this.#options.cluster}/${this.#options.id}] ${message}`);
  }
}
