import type { Message, MessageHandler, NodeId, Transport } from '@raft/core';

/**
 * What the network does to this node's Raft traffic (demo mode and the conformance nemeses only).
 * Cuts act in both directions; loss, duplication and delay act on what this node sends (set them
 * on every node to disturb every link).
 */
export interface NetworkFaults {
  /** Cut off from every peer. */
  readonly isolated?: boolean;
  /** Cut off from these peers. */
  readonly blocked?: readonly NodeId[];
  /** Probability, 0–1, that a message is lost. */
  readonly drop?: number;
  /** Probability, 0–1, that a message is delivered twice. */
  readonly duplicate?: number;
  /** Each message is held for a random time up to this many milliseconds (which also reorders). */
  readonly delayMs?: number;
}

/**
 * Wraps a transport with a switchable faulty network: partitions, loss, duplication, delay and
 * reordering, as Raft must tolerate them. Messages lost here vanish silently, like on a broken wire.
 */
export class FaultSwitch implements Transport {
  #faults: NetworkFaults = {};
  #blocked = new Set<NodeId>();
  #closed = false;
  readonly #held = new Set<NodeJS.Timeout>();

  constructor(
    private readonly inner: Transport,
    private readonly random: () => number = Math.random,
  ) {}

  /** Replaces the faults in effect; `{}` heals everything. */
  set(faults: NetworkFaults): void {
    this.#faults = faults;
    this.#blocked = new Set(faults.blocked ?? []);
  }

  get state(): NetworkFaults {
    return this.#faults;
  }

  start(handler: MessageHandler): Promise<void> {
    return this.inner.start((message) => {
      if (!this.#cut(message.from)) handler(message);
    });
  }

  send(message: Message): boolean {
    const { drop = 0, duplicate = 0, delayMs = 0 } = this.#faults;
    if (this.#cut(message.to) || (drop > 0 && this.random() < drop)) return true;
    const copies = duplicate > 0 && this.random() < duplicate ? 2 : 1;
    if (delayMs <= 0) {
      let sent = true;
      for (let i = 0; i < copies; i++) sent = this.inner.send(message) && sent;
      return sent;
    }
    for (let i = 0; i < copies; i++) {
      const timer = setTimeout(() => {
        this.#held.delete(timer);
        if (!this.#closed) this.inner.send(message);
      }, this.random() * delayMs);
      this.#held.add(timer);
    }
    return true;
  }

  close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#held) clearTimeout(timer);
    this.#held.clear();
    return this.inner.close();
  }

  #cut(peer: NodeId): boolean {
    return this.#faults.isolated === true || this.#blocked.has(peer);
  }
}
