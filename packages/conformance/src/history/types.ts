/**
 * Types of the history format shared by the workload, the checker and the report
 * (DESIGN.md, "History format"): JSON Lines, one operation event per line.
 */

/** What kind of event a line records: the start of an operation or one of its three outcomes. */
export type EventType = 'invoke' | 'ok' | 'fail' | 'info';

/** The register operations a client can perform. */
export type OpFunction = 'read' | 'write' | 'cas';

/** Any JSON value, as found in an event's `value` field. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * One event of a client operation.
 *
 * - `invoke`: the client sent the request. A write carries the value written, a cas carries
 *   `[expect, new]`, a read carries `null`.
 * - `ok`: the operation definitely took effect; a read carries the value read (`null` if absent),
 *   a cas carries `[expect, new]` and means the comparison matched.
 * - `fail`: the operation definitely did not take effect.
 * - `info`: the outcome is unknown (e.g. a timeout); the operation may take effect at any later time.
 */
export interface ClientEvent {
  /** The client process; a process has at most one operation in flight. */
  readonly process: number;
  readonly type: EventType;
  readonly f: OpFunction;
  /** The register the operation addresses. */
  readonly key: string;
  /** See the type's description; may be absent on `fail` and `info` completions. */
  readonly value?: JsonValue;
  /** Monotonic time of the event, in nanoseconds. */
  readonly time: number;
}

/** A fault-injection event (partition, kill, pause, ...), kept for the report's timeline. */
export interface NemesisEvent {
  readonly process: 'nemesis';
  readonly type: EventType;
  /** The fault, e.g. `"partition"` or `"kill"`. */
  readonly f: string;
  readonly key?: string;
  readonly value?: JsonValue;
  /** Monotonic time of the event, in nanoseconds. */
  readonly time: number;
}

/** One line of a history. */
export type HistoryEvent = ClientEvent | NemesisEvent;

/** A defect found in a history, located precisely enough to fix it. */
export interface HistoryProblem {
  /** Where the history came from: a file path, or a name given by the caller. */
  readonly source: string;
  /** 1-based line number of the offending event. */
  readonly line: number;
  /** What is wrong, in words. */
  readonly message: string;
}

/**
 * How an operation ended.
 * `info` means indeterminate: it may take effect at any time after its invocation, or never.
 */
export type Outcome = 'ok' | 'fail' | 'info';

/** A client operation: an invocation paired with its completion. */
export interface Operation {
  /** Position of the operation in the history, in order of invocation (0-based). */
  readonly id: number;
  readonly process: number;
  readonly f: OpFunction;
  readonly key: string;
  /**
   * The operation's argument: the value written, `[expect, new]` for a cas, `null` for a read.
   */
  readonly input: JsonValue;
  /** What a successful read returned (`null` if the key was absent); `null` otherwise. */
  readonly output: JsonValue;
  readonly outcome: Outcome;
  /** Time of the invocation, in nanoseconds. */
  readonly call: number;
  /**
   * Latest time the operation can have taken effect, in nanoseconds: the completion's time, or
   * `Infinity` for an indeterminate (`info`) operation.
   */
  readonly return: number;
  /**
   * Time of the completion event as recorded, for drawing; `null` when the history ended with the
   * operation still in flight.
   */
  readonly completedAt: number | null;
}
