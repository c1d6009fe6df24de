import type { Message } from '@raft/core';

/**
 * The messages in flight on one first-in first-out link, each with the time it becomes due. A
 * later message never becomes due before an earlier one, so delays never reorder the link.
 *
 * One timer per link, not per message: a burst of ten thousand messages costs one wake-up.
 */
export class LinkQueue {
  private readonly messages: Message[] = [];
  private readonly due: number[] = [];
  private head = 0;
  private lastDue = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;

  constructor(private readonly settle: (message: Message) => void) {}

  get size(): number {
    return this.messages.length - this.head;
  }

  push(message: Message, delayMs: number): void {
    this.lastDue = Math.max(performance.now() + delayMs, this.lastDue);
    this.messages.push(message);
    this.due.push(this.lastDue);
    if (!this.timer && !this.immediate) this.schedule();
  }

  /** Cancels the timer and forgets every message; returns those that were still waiting. */
  clear(): Message[] {
    const dropped = this.messages.slice(this.head);
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = this.immediate = undefined;
    this.messages.length = this.due.length = this.head = 0;
    return dropped;
  }

  private schedule(): void {
    const wait = (this.due[this.head] as number) - performance.now();
    if (wait <= 0) this.immediate = setImmediate(this.pump);
    else this.timer = setTimeout(this.pump, wait);
  }

  /**
   * Delivers what is due, but only messages queued before this turn: a receiver answering on the
   * same link (a node talking to itself) waits for the next turn instead of looping forever.
   */
  private readonly pump = (): void => {
    this.timer = this.immediate = undefined;
    const end = this.messages.length;
    const now = performance.now();
    try {
      while (this.head < end && (this.due[this.head] as number) <= now) {
        const message = this.messages[this.head] as Message;
        this.head++;
        this.settle(message);
      }
    } finally {
      if (this.head === this.messages.length) this.clear();
      else if (!this.timer && !this.immediate) this.schedule();
    }
  };
}
