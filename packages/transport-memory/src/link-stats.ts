import type { NodeId } from '@raft/core';

/** What happened to the messages sent over one directed link (or, from `totals()`, all of them). */
export interface LinkStats {
  /** Messages given to `send` of an open transport, including those then lost or refused. */
  sent: number;
  /** Copies handed to the receiver (with duplication, more than `sent`). */
  delivered: number;
  /** Messages lost: to a fault, a partition, a full link, or a receiver that was not running. */
  dropped: number;
  /** Extra copies made by the duplication fault. */
  duplicated: number;
}

/** The outcomes a link counts. */
export type LinkOutcome = keyof LinkStats;

/** Per-link counters, keyed by directed link. */
export class LinkStatsTable {
  private readonly links = new Map<string, LinkStats>();

  record(from: NodeId, to: NodeId, outcome: LinkOutcome, count = 1): void {
    const key = `${from}>${to}`;
    let stats = this.links.get(key);
    if (!stats) {
      stats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0 };
      this.links.set(key, stats);
    }
    stats[outcome] += count;
  }

  /** A copy of the counters of the link `from` → `to` (zeros if nothing went over it). */
  get(from: NodeId, to: NodeId): LinkStats {
    return { sent: 0, delivered: 0, dropped: 0, duplicated: 0, ...this.links.get(`${from}>${to}`) };
  }

  /** The counters summed over every link. */
  totals(): LinkStats {
    const sum: LinkStats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0 };
    for (const stats of this.links.values()) {
      sum.sent += stats.sent;
      sum.delivered += stats.delivered;
      sum.dropped += stats.dropped;
      sum.duplicated += stats.duplicated;
    }
    return sum;
  }

  reset(): void {
    this.links.clear();
  }
}
