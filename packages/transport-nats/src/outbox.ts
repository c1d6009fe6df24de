import type { NodeId } from '@raft/core';

/**
 * Collects the frames sent during one turn of the event loop, per peer, and hands each peer's
 * frames over together in a microtask, so a burst becomes one bundle per peer. A microtask runs
 * before any I/O, so this adds no latency: the NATS client itself defers its socket write the same
 * way.
 */
export class Outbox {
  #pending = new Map<NodeId, Uint8Array[]>();
  #scheduled = false;

  /** @param deliver Called, per peer, with the frames queued for it, in send order. */
  constructor(private readonly deliver: (to: NodeId, frames: Uint8Array[]) => void) {}

  /** Queues `frame` for `to`. */
  add(to: NodeId, frame: Uint8Array): void {
    const frames = this.#pending.get(to);
    if (frames === undefined) this.#pending.set(to, [frame]);
    else frames.push(frame);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Hands over everything queued now (also done automatically each turn). */
  flush(): void {
    this.#scheduled = false;
    const pending = this.#pending;
    this.#pending = new Map();
    for (const [to, frames] of pending) this.deliver(to, frames);
  }
}
