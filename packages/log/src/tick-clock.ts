/**
 * Counts ticks on the monotonic clock, for a leader. A lease runs in the leader's own ticks, and
 * timer ticks fall behind real time whenever the process stops (SIGSTOP, a stalled VM, a long
 * garbage collection) or its event loop is busy: a leader that slept through its lease while the
 * others elected someone else would wake up believing it still held it. Counting what came due
 * on the clock keeps its ticks from falling behind. (Followers keep counting timer ticks: a
 * follower whose ticks run late votes later than it promised, which is the safe side.)
 */
export class TickClock {
  /** When the next tick is due, in `performance.now()` milliseconds. */
  #next: number;

  /**
   * @param tickMs - milliseconds per tick.
   * @param maxCatchUp - the most ticks handed out for one gap: enough to expire everything that
   *   depends on elapsed ticks (the lease), without a burst of heartbeats for every tick a long
   *   pause missed. The rest of a longer gap is skipped.
   * @param now - the current time.
   */
  constructor(
    private readonly tickMs: number,
    private readonly maxCatchUp: number,
    now: number,
  ) {
    this.#next = now + tickMs;
  }

  /** How many ticks came due since the last call, at most `maxCatchUp`. */
  due(now: number): number {
    if (now < this.#next) return 0;
    const elapsed = Math.floor((now - this.#next) / this.tickMs) + 1;
    this.#next += elapsed * this.tickMs;
    return Math.min(elapsed, this.maxCatchUp);
  }
}
