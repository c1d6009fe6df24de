import type { ClientEvent, EventType, HistoryEvent, HistoryProblem, OpFunction } from './types.js';

/** The outcome of parsing a history: every valid event, and every problem found on the way. */
export interface ParsedHistory {
  /** Where the history came from, as named in problems. */
  readonly source: string;
  /** The valid events, in file order. */
  readonly events: HistoryEvent[];
  /** `lines[i]` is the 1-based line number of `events[i]`, so later checks can point at it. */
  readonly lines: number[];
  /** Every invalid line, in file order; parsing continues past them. */
  readonly problems: HistoryProblem[];
}

/** Options for the parsers. */
export interface ParseOptions {
  /** Name of the history in problem reports, e.g. its file path. Defaults to `"history"`. */
  readonly source?: string;
}

const EVENT_TYPES: ReadonlySet<string> = new Set<EventType>(['invoke', 'ok', 'fail', 'info']);
const OP_FUNCTIONS: ReadonlySet<string> = new Set<OpFunction>(['read', 'write', 'cas']);

/** One line's outcome: the event it holds, or what is wrong with it. */
export type ParsedLine = { readonly event: HistoryEvent } | { readonly error: string };

/**
 * Validates one line of a history. Returns the event, or what is wrong with the line.
 * Unknown extra fields are ignored so that writers may add annotations.
 */
export function parseHistoryLine(text: string): ParsedLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { error: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { error: 'expected a JSON object with process, type, f, key, value and time' };
  }
  const record = parsed as Record<string, unknown>;
  const { process, type, f, key, value, time } = record;
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) {
    return { error: `"type" must be one of invoke, ok, fail, info; got ${describe(type)}` };
  }
  if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) {
    return { error: `"time" must be a non-negative number of nanoseconds; got ${describe(time)}` };
  }
  if (process === 'nemesis') {
    if (typeof f !== 'string' || f === '') {
      return { error: `a nemesis event's "f" must name the fault; got ${describe(f)}` };
    }
    return { event: record as unknown as HistoryEvent };
  }
  if (typeof process !== 'number' || !Number.isSafeInteger(process) || process < 0) {
    return { error: `"process" must be a non-negative integer or "nemesis"; got ${describe(process)}` };
  }
  if (typeof f !== 'string' || !OP_FUNCTIONS.has(f)) {
    return { error: `"f" must be one of read, write, cas; got ${describe(f)}` };
  }
  if (typeof key !== 'string') {
    return { error: `"key" must be a string; got ${describe(key)}` };
  }
  const valueError = checkValue(type as EventType, f as OpFunction, 'value' in record, value);
  if (valueError !== undefined) return { error: valueError };
  return { event: record as unknown as ClientEvent };
}

/** The value rules of DESIGN.md: what each function carries on invocation and success. */
function checkValue(type: EventType, f: OpFunction, present: boolean, value: unknown): string | undefined {
  const carries = type === 'invoke' || type === 'ok';
  if (!carries) return undefined;
  if (!present) {
    return `a ${f} ${type} must carry "value"${f === 'read' ? ' (null for an absent key)' : ''}`;
  }
  if (f === 'cas' && !(Array.isArray(value) && value.length === 2)) {
    return `a cas ${type} must carry "value": [expect, new]; got ${describe(value)}`;
  }
  return undefined;
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/**
 * Accumulates a history line by line, so that whole files never need to be held as text.
 * Blank lines are skipped; invalid lines become problems and do not stop parsing.
 */
export class HistoryParser {
  private readonly events: HistoryEvent[] = [];
  private readonly lines: number[] = [];
  private readonly problems: HistoryProblem[] = [];
  private lineNumber = 0;

  constructor(private readonly source: string = 'history') {}

  /** Feeds the next line (without its line terminator). */
  push(text: string): void {
    this.lineNumber += 1;
    if (text.trim() === '') return;
    const result = parseHistoryLine(text);
    if ('error' in result) {
      this.problems.push({ source: this.source, line: this.lineNumber, message: result.error });
    } else {
      this.events.push(result.event);
      this.lines.push(this.lineNumber);
    }
  }

  /** The history parsed so far. */
  result(): ParsedHistory {
    return { source: this.source, events: this.events, lines: this.lines, problems: this.problems };
  }
}

/** Parses a whole history held in memory (JSON Lines text). */
export function parseHistory(text: string, options: ParseOptions = {}): ParsedHistory {
  const parser = new HistoryParser(options.source);
  for (const line of text.split(/\r?\n/)) parser.push(line);
  return parser.result();
}

/** Parses a history from a stream of lines, e.g. `readline` over a socket or a child's stdout. */
export async function parseHistoryLines(
  lines: Iterable<string> | AsyncIterable<string>,
  options: ParseOptions = {},
): Promise<ParsedHistory> {
  const parser = new HistoryParser(options.source);
  for await (const line of lines) parser.push(line);
  return parser.result();
}

/** Formats problems for a person: one `source:line: message` per line. */
export function formatProblems(problems: readonly HistoryProblem[]): string {
  return problems.map((p) => `${p.source}:${p.line}: ${p.message}`).join('\n');
}
