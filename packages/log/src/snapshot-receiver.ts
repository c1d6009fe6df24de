import { EMPTY, MessageType, createMessage, Role, type Message, type NodeId, type NodeStatus, type Snapshot, type SnapshotMeta, type Storage, type Transport } from '@raft/core';
import { NodeFailedError } from './errors.js';

/** What a {@link SnapshotReceiver} needs from its node. */
export interface SnapshotReceiverOptions {
  readonly id: NodeId;
  readonly storage: Storage;
  readonly transport: Transport;
  /** A storage write failed while a snapshot streamed in: the node must stop. */
  failed(error: Error): void;
}

/** Why a reception's stream ends early: the storage must discard what it received. */
class ReceptionAborted extends Error {
  constructor() {
    super('the snapshot transfer was abandoned before its last piece arrived');
  }
}

/**
 * Pieces handed to the storage as an `AsyncIterable`, in arrival order. `taken` is called as the
 * storage pulls each one, i.e. when it is ready for more: acknowledgements are sent from there, so
 * the sender's window bounds what waits here.
 */
class PieceQueue {
  private readonly pieces: Uint8Array[] = [];
  private ended = false;
  private error: Error | undefined;
  private notify: (() => void) | undefined;

  constructor(private readonly taken: (bytes: number) => void) {}

  push(piece: Uint8Array): void {
    this.pieces.push(piece);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(error: Error): void {
    this.error = error;
    this.pieces.length = 0;
    this.wake();
  }

  async *stream(): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.error !== undefined) throw this.error;
      const piece = this.pieces.shift();
      if (piece !== undefined) {
        this.taken(piece.byteLength);
        yield piece;
      } else if (this.ended) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.notify = resolve));
      }
    }
  }

  private wake(): void {
    const notify = this.notify;
    this.notify = undefined;
    notify?.();
  }
}

/** Which snapshot, sent by whom in which term. */
interface TransferKey {
  readonly from: NodeId;
  readonly term: number;
  readonly meta: SnapshotMeta;
}

/** One snapshot being assembled. */
class Reception implements TransferKey {
  readonly queue: PieceQueue;
  /** Bytes received in order. */
  received = 0;
  /** Bytes the storage has taken. */
  taken = 0;
  aborted = false;
  /** The whole snapshot, as stepped into the core once the last piece arrived. */
  stepped: Snapshot | undefined;
  /** The storage's `installSnapshot`, streaming from {@link queue}. */
  installing: Promise<void> = Promise.resolve();

  constructor(
    readonly from: NodeId,
    readonly term: number,
    readonly meta: SnapshotMeta,
    taken: (reception: Reception) => void,
  ) {
    this.queue = new PieceQueue((bytes) => {
      this.taken += bytes;
      taken(this);
    });
  }
}

/**
 * The follower's side of snapshot transfers: assembles the pieces of a snapshot sent in chunks
 * (see `SnapshotSender`) straight into the storage, without holding the snapshot in memory.
 *
 * The first piece starts `storage.installSnapshot`, fed through a queue as pieces arrive; each
 * piece is acknowledged (SnapResp with the offset received so far) as the storage takes it. Pieces
 * at an unexpected offset are ignored (a lost piece is resent by the leader after a timeout), a
 * duplicate is acknowledged again, and a piece of a snapshot this node is not assembling is
 * answered with a rejection asking for offset 0. Only when the last piece has arrived is the
 * whole snapshot (metadata only) stepped into the core; the stream is ended, so the storage
 * commits the snapshot, only once the core has confirmed it wants it (in its Ready). Any other
 * ending — a newer transfer, a new term, a write the node must make meanwhile, stopping —
 * makes the stream throw, and the storage discards what it received: a partial snapshot is never
 * installed.
 *
 * Storage writes stay one at a time: the node calls {@link SnapshotReceiver.abort} (and awaits it)
 * before any write of its own.
 */
export class SnapshotReceiver {
  private reception: Reception | undefined;
  /** The last transfer that ended with this node holding the snapshot: its pieces are answered `done`. */
  private finished: TransferKey | undefined;
  /** Settles once every `installSnapshot` started so far has settled. */
  private settled: Promise<void> = Promise.resolve();

  constructor(private readonly options: SnapshotReceiverOptions) {}

  /**
   * Takes a piece (a Snap with a `chunk`).
   * @returns a whole-snapshot Snap to step into the core, when the last piece arrived or the
   *   snapshot turns out not to be needed; otherwise undefined.
   */
  receive(m: Message, status: NodeStatus): Message | undefined {
    const chunk = m.chunk!;
    const snapshot = m.snapshot;
    if (snapshot === undefined) return undefined;
    // From another term: a deposed leader's, or one this node has not heard of yet (its heartbeat
    // will tell; the leader resends the piece after a timeout).
    if (m.term !== status.term || status.role !== Role.Follower) return undefined;
    const meta = snapshot.meta;
    if (this.finished !== undefined && sameTransfer(this.finished, m)) {
      this.reply(m, chunk.offset + snapshot.data.byteLength, { done: true });
      return undefined;
    }
    let r = this.reception;
    // An assembled snapshot waits for the core's verdict (see settle); the leader resends later.
    if (r?.stepped !== undefined) return undefined;
    if (r === undefined || !sameTransfer(r, m)) {
      if (chunk.offset !== 0) {
        this.reply(m, 0, { reject: true });
        return undefined;
      }
      if (meta.index <= status.commit) {
        // Everything the snapshot covers is committed here already: the core will say so.
        this.finished = { from: m.from, term: m.term, meta };
        this.reply(m, snapshot.data.byteLength, { done: true });
        return wholeSnapshot(m, { meta, data: EMPTY });
      }
      void this.abort();
      r = this.begin(m.from, m.term, meta);
    }
    if (chunk.offset !== r.received) {
      // A duplicate is acknowledged again; a piece after a gap waits for the lost one's resend.
      if (chunk.offset < r.received) this.reply(m, r.taken);
      return undefined;
    }
    r.queue.push(snapshot.data);
    r.received += snapshot.data.byteLength;
    if (!chunk.done) return undefined;
    r.stepped = { meta, data: EMPTY };
    return wholeSnapshot(m, r.stepped);
  }

  /**
   * Called with each Ready's snapshot before anything else is written: if it is the snapshot this
   * node assembled, ends the stream so the storage commits it, and acknowledges the transfer.
   * An assembled snapshot the core did not take (its log already covers it) is discarded.
   * @returns whether `snapshot` was assembled here and is now installed in storage.
   * @throws NodeFailedError when the storage failed to install it.
   */
  async settle(snapshot: Snapshot | undefined): Promise<boolean> {
    const r = this.reception;
    if (r?.stepped === undefined) return false;
    this.reception = undefined;
    this.finished = { from: r.from, term: r.term, meta: r.meta };
    if (snapshot !== r.stepped) {
      this.discard(r);
      await this.settled;
      this.reply(r, r.received, { done: true });
      return false;
    }
    r.queue.end();
    try {
      await r.installing;
    } catch (error) {
      throw installFailed(r.meta, error);
    }
    this.reply(r, r.received, { done: true });
    return true;
  }

  /** Whether an assembled snapshot was stepped into the core and awaits {@link SnapshotReceiver.settle}. */
  get assembled(): boolean {
    return this.reception?.stepped !== undefined;
  }

  /** Drops a transfer of an older term (the node moved on). */
  reconcile(status: NodeStatus): void {
    if (this.reception !== undefined && this.reception.term !== status.term) void this.abort();
  }

  /**
   * Abandons the snapshot being assembled, if any, and resolves once the storage has discarded it:
   * after that the node may write. Called before every write of the node's own. An assembled
   * snapshot already stepped into the core is left to {@link SnapshotReceiver.settle}: the core
   * may have replaced its log with it, so only the core's Ready may decide its fate.
   */
  abort(): Promise<void> {
    const r = this.reception;
    if (r !== undefined && r.stepped === undefined) {
      this.reception = undefined;
      this.discard(r);
    }
    return this.settled;
  }

  /** Abandons any transfer, assembled or not (the node is stopping), once the storage let go of it. */
  close(): Promise<void> {
    const r = this.reception;
    this.reception = undefined;
    if (r !== undefined) this.discard(r);
    return this.settled;
  }

  private discard(r: Reception): void {
    r.aborted = true;
    r.queue.fail(new ReceptionAborted());
  }

  private begin(from: NodeId, term: number, meta: SnapshotMeta): Reception {
    const r = new Reception(from, term, meta, (taken) => this.reply(taken, taken.taken));
    const previous = this.settled;
    // One write at a time: an abandoned install settles before the next one starts.
    r.installing = previous.then(() => this.options.storage.installSnapshot(meta, r.queue.stream()));
    this.settled = r.installing.then(
      () => undefined,
      (error: unknown) => {
        if (!r.aborted && r.stepped === undefined) this.options.failed(installFailed(meta, error));
      },
    );
    this.reception = r;
    return r;
  }

  /** Answers the sender of `to` (a piece, or a reception) with the offset received so far. */
  private reply(to: TransferKey | Message, offset: number, flags: { done?: boolean; reject?: boolean } = {}): void {
    const key = 'meta' in to ? to : { from: to.from, term: to.term, meta: to.snapshot!.meta };
    this.options.transport.send(
      createMessage({
        type: MessageType.SnapResp,
        from: this.options.id,
        to: key.from,
        term: key.term,
        logTerm: key.meta.term,
        index: key.meta.index,
        reject: flags.reject ?? false,
        chunk: { offset, done: flags.done ?? false },
      }),
    );
  }
}

function sameTransfer(key: TransferKey, m: Message): boolean {
  const meta = m.snapshot!.meta;
  return key.from === m.from && key.term === m.term && key.meta.index === meta.index && key.meta.term === meta.term;
}

/** The Snap the core is stepped: the whole snapshot, its bytes in storage rather than in `data`. */
function wholeSnapshot(piece: Message, snapshot: Snapshot): Message {
  const { chunk: _chunk, ...rest } = piece;
  return { ...rest, snapshot };
}

function installFailed(meta: SnapshotMeta, cause: unknown): NodeFailedError {
  return new NodeFailedError(
    `installing the snapshot at index ${meta.index} received from the leader failed, so the node stopped rather ` +
      'than continue with a log it cannot trust (see cause); fix the storage and restart the node',
    { cause },
  );
}
