import { EntryType, type Entry } from '@raft/core';
import { decodeCommand } from '../kv/commands.js';

/** One line of the dashboard's log view. */
export interface LogLine {
  readonly index: number;
  readonly term: number;
  readonly summary: string;
}

/** Describes a committed entry in a few words: `put k = v`, `no-op`, `membership change`. */
export function summarize(entry: Entry): string {
  if (entry.type === EntryType.ConfChange) return 'membership change';
  if (entry.data.byteLength === 0) return 'no-op (new leader)';
  try {
    const command = decodeCommand(entry.data);
    if (command.op === 'put') return `put ${command.key} = ${command.value}`;
    if (command.op === 'delete') return `delete ${command.key}`;
    return `cas ${command.key}: ${JSON.stringify(command.expect)} → ${command.value}`;
  } catch (error) {
    return `undecodable command (${(error as Error).message})`;
  }
}

/** The last `capacity` committed entries, summarized. */
export class RecentLog {
  readonly #lines: LogLine[] = [];

  constructor(private readonly capacity: number) {}

  add(entry: Entry): void {
    this.#lines.push({ index: entry.index, term: entry.term, summary: summarize(entry) });
    if (this.#lines.length > this.capacity) this.#lines.shift();
  }

  tail(count: number): LogLine[] {
    return this.#lines.slice(-count);
  }
}
