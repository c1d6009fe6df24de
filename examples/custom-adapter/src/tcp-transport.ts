import { createServer, type Server, type Socket } from 'node:net';
import type { Message, MessageHandler, NodeId, Transport } from '@raft/core';
import { decodeMessage, encodeMessage } from '@raft/core/codec';
import { FrameReader } from './frames.js';
import { PeerLink } from './peer-link.js';

/** Peer addresses by node id, `host:port` (`[v6]:port` for IPv6; `tcp://` allowed): a plain object or a map. */
export type TcpPeers = Readonly<Record<NodeId, string>> | ReadonlyMap<NodeId, string>;

/** Options of {@link TcpTransport}. */
export interface TcpTransportOptions {
  /** This node's id. */
  readonly id: NodeId;
  /** Stamped in every frame; frames of another cluster are refused and their connection dropped. */
  readonly clusterId: string;
  /** Where this node accepts connections, `host:port`. */
  readonly listen: string;
  /** Where every other node listens, by id. `send` refuses any id not listed here. */
  readonly peers: TcpPeers;
  /** Largest encoded message sent or accepted; use the same value on every node. Default 64 MiB. */
  readonly maxMessageBytes?: number;
  /** Encoded bytes queued per peer beyond which `send` drops. Default 8 MiB. */
  readonly sendQueueBytes?: number;
  /** How long connecting to a peer may take. Default 2000 ms. */
  readonly connectTimeoutMs?: number;
  /** First wait before reconnecting to an unreachable peer, doubling up to 1 s. Default 50 ms. */
  readonly reconnectMinMs?: number;
  /** Told why an incoming connection was dropped (bad frame, other cluster). Default: silent. */
  readonly onError?: (error: Error) => void;
}

const MiB = 1024 * 1024;

/**
 * A {@link Transport} over plain TCP (`node:net`), written against the public contract only: every
 * message is one frame of `@raft/core/codec`, prefixed with its length. Each node listens on one
 * port for incoming connections and keeps one outgoing connection per peer ({@link PeerLink}).
 *
 * What the contract asks for, and where it is done:
 * - `send` never blocks: it writes to the socket or a bounded queue and returns at once.
 * - memory is bounded: a full queue, an unreachable peer or an oversized message means `false`.
 * - unreliable but never corrupt: frames are checked by the codec (and its cluster id); a
 *   connection that carries anything else is dropped. One TCP stream per link means no duplicates.
 * - `close` is idempotent and releases the listener and every socket.
 *
 * Plain TCP is unencrypted and unauthenticated: keep it on a trusted network.
 */
export class TcpTransport implements Transport {
  private readonly id: NodeId;
  private readonly clusterId: string;
  private readonly listenAt: { host: string; port: number };
  private readonly maxMessageBytes: number;
  private readonly links = new Map<NodeId, { readonly address: string; readonly link: PeerLink }>();
  private readonly incoming = new Set<Socket>();
  private server: Server | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: TcpTransportOptions) {
    this.id = options.id;
    this.clusterId = options.clusterId;
    this.listenAt = parseAddress(options.listen);
    this.maxMessageBytes = options.maxMessageBytes ?? 64 * MiB;
    this.setPeers(options.peers);
  }

  /**
   * Replaces the peer list, e.g. after a membership change: links to removed peers are closed,
   * links to new ones open on their first message, links to unchanged addresses are kept.
   */
  setPeers(peers: TcpPeers): void {
    const wanted = new Map<NodeId, string>(peers instanceof Map ? peers : Object.entries(peers).map(([id, address]) => [Number(id), address]));
    wanted.delete(this.id);
    for (const [id, { address, link }] of this.links) {
      if (wanted.get(id) !== address) {
        link.close();
        this.links.delete(id);
      }
    }
    for (const [id, address] of wanted) {
      if (this.links.has(id)) continue;
      const { host, port } = parseAddress(address);
      const link = new PeerLink({
        host,
        port,
        queueBytes: this.options.sendQueueBytes ?? 8 * MiB,
        socketBufferBytes: MiB,
        connectTimeoutMs: this.options.connectTimeoutMs ?? 2000,
        reconnectMinMs: this.options.reconnectMinMs ?? 50,
        reconnectMaxMs: 1000,
      });
      this.links.set(id, { address, link });
    }
  }

  async start(handler: MessageHandler): Promise<void> {
    if (this.closing) throw new Error(`the TCP transport of node ${this.id} is closed; create a new one`);
    if (this.server) throw new Error(`the TCP transport of node ${this.id} is already started`);
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket, handler));
    this.server = server;
    const { host, port } = this.listenAt;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) =>
        reject(new Error(`node ${this.id} cannot listen on ${host}:${port}: ${error.message}; is another process using the port?`, { cause: error })),
      );
      server.listen({ host, port }, () => resolve());
    });
  }

  send(message: Message): boolean {
    if (this.closing || message.to === this.id) return false;
    const link = this.links.get(message.to)?.link;
    if (!link) return false;
    const frame = encodeMessage(message, this.clusterId);
    if (frame.length > this.maxMessageBytes) return false;
    return link.send(frame);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const { link } of this.links.values()) link.close();
    for (const socket of this.incoming) socket.destroy();
    const server = this.server;
    if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Reads frames from one incoming connection and hands each decoded message to `handler`. */
  private accept(socket: Socket, handler: MessageHandler): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.incoming.add(socket);
    const reader = new FrameReader(this.maxMessageBytes);
    const drop = (error: unknown) => {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
      socket.destroy();
    };
    socket.on('data', (chunk: Buffer) => {
      let messages: Message[];
      try {
        // decodeMessage throws a CodecError for a corrupt frame or one from another cluster.
        messages = reader.push(chunk).map((frame) => decodeMessage(frame, this.clusterId));
      } catch (error) {
        drop(error);
        return;
      }
      for (const message of messages) {
        if (this.closing || socket.destroyed) return;
        if (message.to === this.id) handler(message);
      }
    });
    socket.on('error', () => {}); // a reset by the peer: 'close' follows
    socket.on('close', () => this.incoming.delete(socket));
  }
}

/** `host:port` or `[v6]:port`, optionally prefixed with `tcp://` → its parts. */
export function parseAddress(address: string): { host: string; port: number } {
  const match = /^(?:tcp:\/\/)?(?:\[([^\]]+)\]|([^:/]+)):(\d+)$/.exec(address);
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`expected an address like 127.0.0.1:7001 or [::1]:7001, got ${JSON.stringify(address)}`);
  }
  return { host: (match[1] ?? match[2])!, port };
}
