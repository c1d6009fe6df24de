import type {
  ClientEvent,
  HistoryEvent,
  HistoryProblem,
  JsonValue,
  NemesisEvent,
  Operation,
  Outcome,
} from './types.js';

/** A history as operations: what the checker and the report work on. */
export interface PairedHistory {
  /** Every client operation, in order of invocation; `Operation.id` is the index here. */
  readonly operations: Operation[];
  /** Fault-injection events, in history order, set aside for the report's timeline. */
  readonly nemesis: NemesisEvent[];
  /** Events that break the pairing rules; the offending events are left out of `operations`. */
  readonly problems: HistoryProblem[];
}

/** Where events came from, so that problems point at the right line. */
export interface PairOptions {
  /** Name of the history in problem reports. Defaults to `"history"`. */
  readonly source?: string;
  /** 1-based line number of each event (as `ParsedHistory.lines`); defaults to `index + 1`. */
  readonly lines?: readonly number[];
}

type MutableOperation = { -readonly [K in keyof Operation]: Operation[K] };

interface InFlight {
  readonly operation: MutableOperation;
  readonly line: number;
}

/**
 * Pairs each invocation with the completion that follows it from the same process.
 *
 * Rules (DESIGN.md): a process has at most one operation in flight, and each completion answers
 * the invocation in flight on its process. An operation still in flight when the history ends is
 * indeterminate, exactly like an `info` completion: a crashed client cannot say what happened.
 * Jepsen histories reuse a process id after `info`; that is harmless to checking, so it is accepted.
 */
export function pairOperations(events: readonly HistoryEvent[], options: PairOptions = {}): PairedHistory {
  const source = options.source ?? 'history';
  const operations: MutableOperation[] = [];
  const nemesis: NemesisEvent[] = [];
  const problems: HistoryProblem[] = [];
  const inFlight = new Map<number, InFlight>();

  for (const [index, event] of events.entries()) {
    const line = options.lines?.[index] ?? index + 1;
    if (event.process === 'nemesis') {
      nemesis.push(event as NemesisEvent);
      continue;
    }
    const client = event as ClientEvent;
    const open = inFlight.get(client.process);
    if (client.type === 'invoke') {
      if (open !== undefined) {
        problems.push({
          source,
          line,
          message:
            `process ${client.process} invoked a ${client.f} while its ${open.operation.f} invoked on line ` +
            `${open.line} is still in flight: a process has at most one operation in flight, so ` +
            `record that operation's completion first (info if its outcome is unknown)`,
        });
        continue;
      }
      const operation = openOperation(operations.length, client);
      operations.push(operation);
      inFlight.set(client.process, { operation, line });
      continue;
    }
    if (open === undefined) {
      problems.push({
        source,
        line,
        message:
          `process ${client.process} completed a ${client.f} (${client.type}) with no operation in ` +
          `flight: every completion must follow an invoke from the same process`,
      });
      continue;
    }
    const mismatch = completionMismatch(open, client);
    if (mismatch !== undefined) {
      problems.push({ source, line, message: mismatch });
      continue;
    }
    closeOperation(open.operation, client, client.type);
    inFlight.delete(client.process);
  }

  return { operations, nemesis, problems };
}

function openOperation(id: number, invoke: ClientEvent): MutableOperation {
  return {
    id,
    process: invoke.process,
    f: invoke.f,
    key: invoke.key,
    input: invoke.f === 'read' ? null : (invoke.value ?? null),
    output: null,
    outcome: 'info',
    call: invoke.time,
    return: Infinity,
    completedAt: null,
  };
}

function completionMismatch(open: InFlight, completion: ClientEvent): string | undefined {
  const { operation, line } = open;
  if (operation.f !== completion.f || operation.key !== completion.key) {
    return (
      `process ${completion.process} completed a ${completion.f} on key ${JSON.stringify(completion.key)} ` +
      `but its operation in flight (line ${line}) is a ${operation.f} on key ${JSON.stringify(operation.key)}`
    );
  }
  if (completion.time < operation.call) {
    return (
      `process ${completion.process} completed at time ${completion.time}, before its invocation on line ` +
      `${line} at time ${operation.call}: times must come from one monotonic clock`
    );
  }
  return undefined;
}

function closeOperation(operation: MutableOperation, completion: ClientEvent, outcome: Outcome): void {
  operation.outcome = outcome;
  operation.completedAt = completion.time;
  if (outcome === 'info') return;
  operation.return = completion.time;
  if (outcome === 'ok' && operation.f === 'read') {
    operation.output = (completion.value ?? null) as JsonValue;
  }
}
