import type { ClientEvent, EventType, HistoryEvent, JsonValue, OpFunction } from './types.js';

/**
 * Records a history as it happens: client invocations and completions, and nemesis events, each
 * stamped with a monotonic clock in nanoseconds since the recorder was made. Events are kept in
 * the order they were recorded, which is the order of their times.
 */
export class HistoryRecorder {
  readonly #events: HistoryEvent[] = [];
  readonly #origin = process.hrtime.bigint();
  readonly #listeners: ((event: HistoryEvent) => void)[] = [];

  /** Everything recorded so far. */
  get events(): readonly HistoryEvent[] {
    return this.#events;
  }

  /** Nanoseconds since the recorder was made. */
  now(): number {
    return Number(process.hrtime.bigint() - this.#origin);
  }

  /** Calls `listener` with every event recorded from now on (e.g. to count outcomes live). */
  onEvent(listener: (event: HistoryEvent) => void): void {
    this.#listeners.push(listener);
  }

  /** A client sent a request. */
  invoke(process: number, f: OpFunction, key: string, value: JsonValue): void {
    this.#record({ process, type: 'invoke', f, key, value, time: this.now() });
  }

  /** A client's request ended; `value` is left out when there is none to report. */
  complete(process: number, type: Exclude<EventType, 'invoke'>, f: OpFunction, key: string, value?: JsonValue): void {
    const event: ClientEvent = value === undefined ? { process, type, f, key, time: this.now() } : { process, type, f, key, value, time: this.now() };
    this.#record(event);
  }

  /** A fault started or stopped (`start-<fault>` / `stop-<fault>`), or something else worth a mark. */
  nemesis(f: string, value?: JsonValue): void {
    this.#record(value === undefined ? { process: 'nemesis', type: 'info', f, time: this.now() } : { process: 'nemesis', type: 'info', f, value, time: this.now() });
  }

  #record(event: HistoryEvent): void {
    this.#events.push(event);
    for (const listener of this.#listeners) listener(event);
  }
}
