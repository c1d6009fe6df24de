import type { NodeId } from '@raft/core';
import { LinkStatsTable, type LinkOutcome, type LinkStats } from './link-stats.js';

/** Random faults applied to every message, independently. */
export interface FaultSettings {
  /** Probability in [0, 1] that a message is lost. */
  readonly dropRate: number;
  /** Probability in [0, 1] that a delivered message is delivered twice. */
  readonly duplicateRate: number;
  /** Each copy is delayed by a uniform random time in `[min, max]` milliseconds (real timers). */
  readonly delayMs: readonly [min: number, max: number];
  /**
   * `false`: each link stays first-in first-out whatever the delays (a later message waits for an
   * earlier one). `true`: every copy gets its own random delay, so messages overtake each other.
   */
  readonly reorder: boolean;
}

/** No faults: every message is delivered once, in order, as soon as possible. */
export const NO_FAULTS: FaultSettings = { dropRate: 0, duplicateRate: 0, delayMs: [0, 0], reorder: false };

/** The fate of one message: lost, or delivered once per entry of `delays` after that many ms. */
export type MessageFate =
  | { readonly lost: 'partitioned' | 'dropped' }
  | { readonly lost?: undefined; readonly delays: readonly number[]; readonly reorder: boolean };

/** Options of {@link NetworkFaults}. */
export interface NetworkFaultsOptions {
  /**
   * Source of randomness in `[0, 1)`, e.g. `seededRandom(seed)` from `@raft/core` for runs that
   * replay exactly. Defaults to `Math.random`.
   */
  readonly random?: () => number;
  /** Initial random faults; defaults to {@link NO_FAULTS}. */
  readonly faults?: Partial<FaultSettings>;
}

/**
 * The fault rules of a network, all changeable at any time: random loss, duplication and delay,
 * partitions, isolated nodes and one-way cuts. It decides what happens to each message and counts
 * the outcomes per link.
 *
 * One instance can govern a {@link MemoryNetwork} (which is one) or any set of real transports
 * wrapped with {@link withFaults}, so a test partitions a ZeroMQ or NATS cluster the same way it
 * partitions an in-process one.
 *
 * Randomness is drawn in a fixed order per message (drop, then duplicate, then one delay per copy,
 * each only when that fault is enabled), so a seeded `random` makes runs repeatable.
 */
export class NetworkFaults {
  private settings: FaultSettings;
  private readonly random: () => number;
  /** Partition groups by node; undefined when there is no partition. */
  private groupOf: Map<NodeId, number> | undefined;
  private readonly isolated = new Set<NodeId>();
  private readonly cuts = new Set<string>();
  private readonly table = new LinkStatsTable();

  constructor(options: NetworkFaultsOptions = {}) {
    this.random = options.random ?? Math.random;
    this.settings = NO_FAULTS;
    this.setFaults(options.faults ?? {});
  }

  /** The random faults in force. */
  get faults(): FaultSettings {
    return this.settings;
  }

  /**
   * Changes some random faults and keeps the others; applies to messages sent from now on.
   *
   * @throws RangeError for a rate outside [0, 1] or a delay range that is negative or inverted.
   */
  setFaults(changes: Partial<FaultSettings>): void {
    const next = { ...this.settings, ...changes };
    for (const rate of ['dropRate', 'duplicateRate'] as const) {
      if (!(next[rate] >= 0 && next[rate] <= 1)) throw new RangeError(`${rate} must be in [0, 1], got ${next[rate]}`);
    }
    const [min, max] = next.delayMs;
    if (!(min >= 0 && max >= min)) {
      throw new RangeError(`delayMs must be [min, max] with 0 <= min <= max, got [${min}, ${max}]`);
    }
    this.settings = next;
  }

  /**
   * Splits the network: nodes talk only within their group. A node listed in no group is cut off
   * from every other node. Replaces any earlier partition; isolations and cuts stay.
   *
   * @example `net.partition([1, 2], [3, 4, 5])`
   */
  partition(...groups: readonly (readonly NodeId[])[]): void {
    const groupOf = new Map<NodeId, number>();
    groups.forEach((group, i) => {
      for (const id of group) groupOf.set(id, i);
    });
    this.groupOf = groupOf;
  }

  /** Cuts `id` off from every other node, both ways, until {@link heal}. */
  isolate(id: NodeId): void {
    this.isolated.add(id);
  }

  /** Cuts the one-way link `from` → `to` until {@link heal} (call twice for both ways). */
  cut(from: NodeId, to: NodeId): void {
    this.cuts.add(`${from}>${to}`);
  }

  /** Removes every partition, isolation and cut. Random faults stay (see {@link setFaults}). */
  heal(): void {
    this.groupOf = undefined;
    this.isolated.clear();
    this.cuts.clear();
  }

  /** Whether the link `from` → `to` is currently cut. A node always reaches itself. */
  isBlocked(from: NodeId, to: NodeId): boolean {
    if (from === to) return false;
    if (this.isolated.has(from) || this.isolated.has(to) || this.cuts.has(`${from}>${to}`)) return true;
    if (!this.groupOf) return false;
    const group = this.groupOf.get(from);
    return group === undefined || group !== this.groupOf.get(to);
  }

  /** Decides what happens to one message sent from `from` to `to`, drawing randomness as documented. */
  decide(from: NodeId, to: NodeId): MessageFate {
    if (this.isBlocked(from, to)) return { lost: 'partitioned' };
    const { dropRate, duplicateRate, delayMs, reorder } = this.settings;
    if (dropRate > 0 && this.random() < dropRate) return { lost: 'dropped' };
    const copies = duplicateRate > 0 && this.random() < duplicateRate ? 2 : 1;
    const [min, max] = delayMs;
    const delays: number[] = [];
    for (let i = 0; i < copies; i++) delays.push(max > min ? min + this.random() * (max - min) : min);
    return { delays, reorder };
  }

  /** Counters of the link `from` → `to`. */
  stats(from: NodeId, to: NodeId): LinkStats {
    return this.table.get(from, to);
  }

  /** Counters summed over every link. */
  totals(): LinkStats {
    return this.table.totals();
  }

  /** Sets every counter back to zero. */
  resetStats(): void {
    this.table.reset();
  }

  /** @internal Counts an outcome on a link; called by the links this instance governs. */
  record(from: NodeId, to: NodeId, outcome: LinkOutcome, count = 1): void {
    this.table.record(from, to, outcome, count);
  }
}
