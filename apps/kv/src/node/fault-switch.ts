import type { Message, MessageHandler, NodeId, Transport } from '@raft/core';

/**
 * Wraps a transport so that traffic to and from chosen peers can be cut at run time, in both
 * directions, as a network partition would (demo mode and the conformance suite's nemesis only).
 * Messages across a cut are lost silently, like on a broken wire.
 */
export class FaultSwitch implements Transport {
  #blocked = new Set<NodeId>();
  #isolated = false;

  constructor(private readonly inner: Transport) {}

  /** Peers cut off from this node (both directions); `isolated` cuts every peer. */
  set(cut: { readonly isolated?: boolean; readonly blocked?: readonly NodeId[] }): void {
    this.#isolated = cut.isolated ?? false;
    this.#blocked = new Set(cut.blocked ?? []);
  }

  get state(): { isolated: boolean; blocked: NodeId[] } {
    return { isolated: this.#isolated, blocked: [...this.#blocked] };
  }

  start(handler: MessageHandler): Promise<void> {
    return this.inner.start((message) => {
      if (!this.#cut(message.from)) handler(message);
    });
  }

  send(message: Message): boolean {
    return this.#cut(message.to) ? true : this.inner.send(message);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  #cut(peer: NodeId): boolean {
    return this.#isolated || this.#blocked.has(peer);
  }
}
