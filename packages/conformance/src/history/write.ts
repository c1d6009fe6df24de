import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { HistoryEvent } from './types.js';

/**
 * Formats one event as a history line (without the newline), fields in the order DESIGN.md lists
 * them so that files diff well. A missing `value` stays missing.
 */
export function formatHistoryEvent(event: HistoryEvent): string {
  const { process, type, f, key, value, time } = event;
  return JSON.stringify({ process, type, f, key, value, time });
}

/** Formats a whole history as JSON Lines text, one event per line, ending with a newline. */
export function formatHistory(events: Iterable<HistoryEvent>): string {
  let text = '';
  for (const event of events) text += `${formatHistoryEvent(event)}\n`;
  return text;
}

/**
 * Writes a history to a file as JSON Lines, streaming events as they come (an async iterable
 * lets a workload record while it runs), and resolves once the file is written and closed.
 */
export async function writeHistoryFile(
  path: string,
  events: Iterable<HistoryEvent> | AsyncIterable<HistoryEvent>,
): Promise<void> {
  await pipeline(Readable.from(toLines(events)), createWriteStream(path, { encoding: 'utf8' }));
}

async function* toLines(events: Iterable<HistoryEvent> | AsyncIterable<HistoryEvent>): AsyncIterable<string> {
  for await (const event of events) yield `${formatHistoryEvent(event)}\n`;
}
