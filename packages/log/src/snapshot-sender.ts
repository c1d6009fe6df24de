import {
  EMPTY,
  createMessage,
  MessageType,
  Role,
  type Message,
  type NodeId,
  type NodeStatus,
  type SnapshotMeta,
  type Storage,
  type StoredSnapshot,
  type Transport,
} from '@raft/core';
import { NodeFailedError } from './errors.js';

/**
 * Pieces sent to one follower and not yet acknowledged. Together with `snapshotChunkBytes` this
 * bounds what a leader holds per follower being caught up, whatever the snapshot's size.
 */
export const SNAPSHOT_WINDOW = 4;

/** What a {@link SnapshotSender} needs from its node. */
export interface SnapshotSenderOptions {
  readonly id: NodeId;
  readonly storage: Storage;
  readonly transport: Transport;
  /** Largest piece of snapshot data in one message. */
  readonly chunkBytes: number;
  /** Ticks without progress after which the first unacknowledged piece is sent again. */
  readonly retryTicks: number;
  /**
   * The transfer to `peer` ended: the snapshot is installed there (`true`), or it could not be
   * sent (`false`: the core falls back to probing and asks for a snapshot again if needed).
   */
  finished(peer: NodeId, ok: boolean): void;
  /** Something the node must not continue past (the storage lost the snapshot it reported). */
  failed(error: Error): void;
}

/** One piece of snapshot data in the send window. */
interface Piece {
  readonly offset: number;
  readonly data: Uint8Array;
  /** The last piece. */
  readonly done: boolean;
  /** Sent since the last timeout; pieces after a lost one are sent again once it is acknowledged. */
  sent: boolean;
}

/** Sending one snapshot to one follower. */
class Transfer {
  /** Pieces sent (or to send again) and not yet acknowledged, in order. */
  readonly window: Piece[] = [];
  /** The follower has every byte before this offset. */
  acked: number;
  /** Offset of the next piece to read from storage. */
  next: number;
  /** The last piece was read. */
  last = false;
  /** Ticks since the follower last made progress. */
  idle = 0;
  cancelled = false;
  pumping = false;
  reader: ChunkReader | undefined;

  constructor(
    readonly to: NodeId,
    readonly term: number,
    readonly meta: SnapshotMeta,
    offset: number,
  ) {
    this.acked = offset;
    this.next = offset;
  }

  cancel(): void {
    this.cancelled = true;
    this.reader?.close();
    this.reader = undefined;
    this.window.length = 0;
  }
}

/**
 * The leader's side of snapshot transfers: streams the stored snapshot to each follower that needs
 * it as a sequence of Snap messages of at most `chunkBytes` of data each, with at most
 * {@link SNAPSHOT_WINDOW} unacknowledged pieces per follower, so memory stays bounded whatever
 * the snapshot's size.
 *
 * The follower acknowledges each piece with a SnapResp carrying the offset it has everything
 * before. When the follower makes no progress for `retryTicks` ticks (a piece or an
 * acknowledgement was lost, or the follower is down), the first unacknowledged piece is sent again,
 * and the rest of the window follows once that one is acknowledged: the transfer resumes from the
 * follower's offset, never from zero, and a dead follower costs one piece per timeout. A follower
 * that lost its partial copy (it restarted) answers with a rejection asking for offset 0, and the
 * transfer starts over. The core learns of the outcome only at the end (`finished`), as before;
 * meanwhile it keeps the follower in snapshot state and sends it nothing but heartbeats.
 */
export class SnapshotSender {
  private readonly transfers = new Map<NodeId, Transfer>();

  constructor(private readonly options: SnapshotSenderOptions) {}

  /** The core asked for a snapshot to be sent (`message` carries its metadata only). */
  start(message: Message): void {
    const meta = message.snapshot!.meta;
    const current = this.transfers.get(message.to);
    if (current !== undefined && current.term === message.term && sameSnapshot(current.meta, meta)) return;
    current?.cancel();
    this.begin(new Transfer(message.to, message.term, meta, 0));
  }

  /** A follower acknowledged pieces (a SnapResp). */
  acknowledged(m: Message): void {
    const t = this.transfers.get(m.from);
    const chunk = m.chunk;
    if (t === undefined || chunk === undefined || m.term !== t.term || m.index !== t.meta.index || m.logTerm !== t.meta.term) return;
    if (chunk.done) {
      this.end(t, true);
    } else if (m.reject) {
      // The follower lost what it had assembled (it restarted): start again from where it asks.
      // A rejection at the acknowledged offset only says a piece was lost; the timeout resends it.
      if (chunk.offset < t.acked) this.restart(t, chunk.offset);
    } else if (chunk.offset > t.acked && chunk.offset <= t.next) {
      t.acked = chunk.offset;
      t.idle = 0;
      while (t.window.length > 0 && t.window[0]!.offset + t.window[0]!.data.byteLength <= t.acked && !t.window[0]!.done) {
        t.window.shift();
      }
      for (const piece of t.window) if (!piece.sent) this.send(t, piece);
      void this.pump(t);
    }
  }

  /** One tick passed: sends the first unacknowledged piece again to followers that stalled. */
  tick(): void {
    for (const t of this.transfers.values()) {
      if (++t.idle < this.options.retryTicks) continue;
      t.idle = 0;
      for (const piece of t.window) piece.sent = false;
      const first = t.window[0];
      if (first !== undefined) this.send(t, first);
      else void this.pump(t);
    }
  }

  /** Drops transfers the core no longer wants: this node stopped leading, or the follower left snapshot state. */
  reconcile(status: NodeStatus): void {
    for (const t of this.transfers.values()) {
      const wanted = status.role === Role.Leader && status.term === t.term && status.progress?.get(t.to)?.state === 'snapshot';
      if (!wanted) {
        t.cancel();
        this.transfers.delete(t.to);
      }
    }
  }

  /** Abandons every transfer (the node is stopping). */
  close(): void {
    for (const t of this.transfers.values()) t.cancel();
    this.transfers.clear();
  }

  private begin(t: Transfer): void {
    this.transfers.set(t.to, t);
    void this.pump(t);
  }

  private restart(t: Transfer, offset: number): void {
    t.cancel();
    this.begin(new Transfer(t.to, t.term, t.meta, offset));
  }

  private end(t: Transfer, ok: boolean): void {
    t.cancel();
    if (this.transfers.get(t.to) === t) this.transfers.delete(t.to);
    this.options.finished(t.to, ok);
  }

  /** Reads and sends pieces until the window is full or the snapshot is all sent. */
  private async pump(t: Transfer): Promise<void> {
    if (t.pumping) return;
    t.pumping = true;
    try {
      while (!t.cancelled && !t.last && t.window.length < SNAPSHOT_WINDOW) {
        t.reader ??= await this.open(t);
        if (t.cancelled) return;
        const data = await t.reader.read(this.options.chunkBytes);
        if (t.cancelled) return;
        const piece: Piece = { offset: t.next, data, done: t.reader.atEnd, sent: false };
        t.next += data.byteLength;
        t.last = piece.done;
        t.window.push(piece);
        // After a timeout only the first piece goes out; the rest follow its acknowledgement.
        if (t.window.length === 1 || t.window[t.window.length - 2]!.sent) this.send(t, piece);
      }
    } catch (error) {
      if (!t.cancelled) await this.readFailed(t, error);
    } finally {
      t.pumping = false;
    }
  }

  /** Opens the stored snapshot at the transfer's next offset, checking it is the one to send. */
  private async open(t: Transfer): Promise<ChunkReader> {
    const stored = await this.options.storage.readSnapshot();
    if (stored === undefined || stored.meta.index < t.meta.index) {
      throw new NodeFailedError(
        `node ${t.to} needs the snapshot at index ${t.meta.index}, but the storage holds ${stored === undefined ? 'none' : `one at ${stored.meta.index}`}`,
      );
    }
    if (!sameSnapshot(stored.meta, t.meta)) throw new SnapshotReplaced();
    if (t.next > stored.size) throw new SnapshotReplaced();
    return ChunkReader.open(stored, t.next);
  }

  /**
   * Reading failed. A newer snapshot replacing the one being sent is normal: the core is told the
   * send failed and asks for the new one. The same snapshot failing to read is not.
   */
  private async readFailed(t: Transfer, error: unknown): Promise<void> {
    if (error instanceof NodeFailedError) return this.options.failed(error);
    let replaced = error instanceof SnapshotReplaced;
    if (!replaced) {
      try {
        const stored = await this.options.storage.readSnapshot();
        replaced = stored === undefined || !sameSnapshot(stored.meta, t.meta);
      } catch {
        replaced = false;
      }
    }
    if (t.cancelled) return;
    if (replaced) return this.end(t, false);
    this.options.failed(
      new NodeFailedError(`the stored snapshot at index ${t.meta.index} could not be read to send it to node ${t.to} (see cause)`, {
        cause: error,
      }),
    );
  }

  private send(t: Transfer, piece: Piece): void {
    piece.sent = true;
    this.options.transport.send(
      createMessage({
        type: MessageType.Snap,
        from: this.options.id,
        to: t.to,
        term: t.term,
        snapshot: { meta: t.meta, data: piece.data },
        chunk: { offset: piece.offset, done: piece.done },
      }),
    );
  }
}

/** The stored snapshot is no longer the one being sent. */
class SnapshotReplaced extends Error {}

function sameSnapshot(a: SnapshotMeta, b: SnapshotMeta): boolean {
  return a.index === b.index && a.term === b.term;
}

/**
 * Reads a stored snapshot in pieces of a chosen size, whatever sizes the storage streams it in.
 * Each piece is a fresh copy: the storage may reuse a buffer once it yielded the next one.
 */
export class ChunkReader {
  private rest: Uint8Array = EMPTY;
  private readonly source: AsyncIterator<Uint8Array>;

  private constructor(
    private readonly stored: StoredSnapshot,
    /** Bytes of the snapshot read so far. */
    private position: number,
  ) {
    this.source = stored.read()[Symbol.asyncIterator]();
  }

  /** Opens `stored` positioned at `offset` (the bytes before it are read and skipped). */
  static async open(stored: StoredSnapshot, offset: number): Promise<ChunkReader> {
    const reader = new ChunkReader(stored, 0);
    try {
      await reader.fill(undefined, offset);
    } catch (error) {
      reader.close();
      throw error;
    }
    return reader;
  }

  /** Whether every byte has been read. */
  get atEnd(): boolean {
    return this.position === this.stored.size;
  }

  /** The next `max` bytes, or fewer at the end. */
  async read(max: number): Promise<Uint8Array> {
    const out = new Uint8Array(Math.min(max, this.stored.size - this.position));
    await this.fill(out, out.byteLength);
    return out;
  }

  /** Stops reading; the storage may release what the stream holds. */
  close(): void {
    this.source.return?.().catch(() => {});
  }

  /** Consumes `length` bytes into `out` (or skips them when `out` is undefined). */
  private async fill(out: Uint8Array | undefined, length: number): Promise<void> {
    let filled = 0;
    while (filled < length) {
      if (this.rest.byteLength === 0) {
        const next = await this.source.next();
        if (next.done === true) {
          throw new Error(`the stored snapshot ended after ${this.position + filled} bytes, but its size is ${this.stored.size}`);
        }
        this.rest = next.value;
        continue;
      }
      const n = Math.min(this.rest.byteLength, length - filled);
      out?.set(this.rest.subarray(0, n), filled);
      this.rest = this.rest.subarray(n);
      filled += n;
    }
    this.position += length;
  }
}
