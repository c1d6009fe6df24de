import { connect, type Socket } from 'node:net';
import { lengthPrefix } from './frames.js';

/** How a {@link PeerLink} connects, queues and backs off. */
export interface PeerLinkOptions {
  readonly host: string;
  readonly port: number;
  /** Encoded bytes queued while connecting, or while the socket's own buffer is full, beyond which `send` drops. */
  readonly queueBytes: number;
  /** Bytes the socket may buffer in the kernel's stead before further frames wait in the queue. */
  readonly socketBufferBytes: number;
  /** How long a connection attempt may take before it counts as failed. */
  readonly connectTimeoutMs: number;
  /** First wait after a failed attempt or a lost connection; it doubles on each failure in a row. */
  readonly reconnectMinMs: number;
  /** Longest wait between attempts. */
  readonly reconnectMaxMs: number;
}

type State = 'idle' | 'connecting' | 'open' | 'backoff' | 'closed';

/**
 * The one outgoing TCP connection from this node to one peer. It connects on the first send, and
 * again, after a back-off, once the connection fails or is lost. It never blocks and never grows
 * without bound: frames wait in a queue of at most `queueBytes` while the socket is connecting or
 * its buffer is full, and whatever the link held is dropped when the peer turns out to be
 * unreachable (Raft resends what still matters). No timers: the next `send` after the back-off
 * starts the next attempt, and Raft's heartbeats keep sending.
 */
export class PeerLink {
  private state: State = 'idle';
  private socket: Socket | undefined;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private delayMs: number;
  private retryAt = 0;
  private corked = false;

  constructor(private readonly options: PeerLinkOptions) {
    this.delayMs = options.reconnectMinMs;
  }

  /** Queues or writes one encoded message; `false` when it was dropped. */
  send(frame: Uint8Array): boolean {
    switch (this.state) {
      case 'closed':
        return false;
      case 'backoff':
        if (Date.now() < this.retryAt) return false; // the peer was unreachable a moment ago
        this.connect();
        break;
      case 'idle':
        this.connect();
        break;
      case 'open':
        if (this.queue.length === 0 && this.socket!.writableLength < this.options.socketBufferBytes) {
          this.write(frame);
          return true;
        }
        break;
      case 'connecting':
        break;
    }
    // A frame larger than the whole queue still goes through an empty queue, so that one big
    // message (a snapshot) can always be sent.
    if (this.queuedBytes > 0 && this.queuedBytes + frame.length > this.options.queueBytes) return false;
    this.queue.push(frame);
    this.queuedBytes += frame.length;
    return true;
  }

  /** Drops the connection and everything queued; `send` returns `false` from now on. */
  close(): void {
    this.state = 'closed';
    this.dropQueue();
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connect(): void {
    const { host, port, connectTimeoutMs } = this.options;
    const socket = connect({ host, port, noDelay: true });
    this.socket = socket;
    this.state = 'connecting';
    socket.setTimeout(connectTimeoutMs, () => socket.destroy(new Error(`connecting to ${host}:${port} timed out`)));
    socket.on('connect', () => {
      socket.setTimeout(0);
      this.state = 'open';
      this.delayMs = this.options.reconnectMinMs;
      this.flush();
    });
    socket.on('drain', () => this.flush());
    // Refused, reset, timed out: 'close' follows and handles it. This link only writes, so
    // anything the peer sends back is discarded.
    socket.on('error', () => {});
    socket.on('data', () => {});
    socket.on('close', () => {
      if (this.socket !== socket || this.state === 'closed') return;
      this.socket = undefined;
      this.state = 'backoff';
      this.retryAt = Date.now() + this.delayMs;
      this.delayMs = Math.min(this.delayMs * 2, this.options.reconnectMaxMs);
      this.dropQueue();
    });
  }

  /** Moves queued frames into the socket until its buffer is full again. */
  private flush(): void {
    const socket = this.socket;
    if (this.state !== 'open' || !socket) return;
    let sent = 0;
    while (sent < this.queue.length && socket.writableLength < this.options.socketBufferBytes) {
      const frame = this.queue[sent++]!;
      this.queuedBytes -= frame.length;
      this.write(frame);
    }
    this.queue = sent === this.queue.length ? [] : this.queue.slice(sent);
  }

  /** Writes prefix and frame; writes within one turn of the event loop leave in one system call. */
  private write(frame: Uint8Array): void {
    const socket = this.socket!;
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    socket.write(lengthPrefix(frame.length));
    socket.write(frame);
  }

  private dropQueue(): void {
    this.queue = [];
    this.queuedBytes = 0;
  }
}
