import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseHistoryLines, type ParsedHistory } from './parse.js';

/**
 * Reads and validates a history file (JSON Lines), streaming it so that large histories do not
 * need to fit in memory as text. Problems name the file and line; a missing or unreadable file
 * rejects with the file system's error.
 */
export async function readHistoryFile(path: string): Promise<ParsedHistory> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    return await parseHistoryLines(lines, { source: path });
  } finally {
    lines.close();
    input.destroy();
  }
}
