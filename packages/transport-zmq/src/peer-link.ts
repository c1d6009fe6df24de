import type { Dealer } from 'zeromq';
import type { NodeId } from '@raft/core';
import { encodeBatch } from './batch-frame.js';
import { SendQueue, type SendQueueLimits } from './send-queue.js';

/**
 * The sending side of the connection to one peer: a bounded queue and a writer that moves queued
 * frames into the peer's socket.
 *
 * zeromq allows one pending `send` per socket, and a send waits while the peer is unreachable, so
 * callers never touch the socket: they queue, and a single writer loop sends batches (one
 * single-frame ZeroMQ message of up to `batchFrames` encoded messages, see `batch-frame.ts`) for as
 * long as frames wait. The writer starts in a microtask, so everything queued in one turn of the
 * event loop leaves together.
 */
export class PeerLink {
  readonly #queue: SendQueue;
  #writing = false;
  #closed = false;

  constructor(
    readonly peer: NodeId,
    readonly address: string,
    private readonly socket: Dealer,
    limits: SendQueueLimits,
    private readonly warn: (message: string) => void,
  ) {
    this.#queue = new SendQueue(limits);
  }

  /** Queues `frame`; `false` when the queue is full or the link closed. */
  enqueue(frame: Uint8Array): boolean {
    if (this.#closed || !this.#queue.offer(frame)) return false;
    if (!this.#writing) {
      this.#writing = true;
      queueMicrotask(() => void this.write());
    }
    return true;
  }

  /** Drops what is queued and closes the socket; a send in progress is abandoned. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.clear();
    this.socket.close();
  }

  private async write(): Promise<void> {
    while (!this.#closed && this.#queue.length > 0) {
      const batch = this.#queue.takeBatch();
      try {
        await this.socket.send(encodeBatch(batch));
      } catch (error) {
        // Closing the socket rejects the pending send; anything else loses only this batch.
        if (!this.#closed) {
          this.warn(`lost ${batch.length} message(s) to node ${this.peer}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    this.#writing = false;
  }
}
