import type { StateMachine } from '@raft/log';

/**
 * A replicated map of strings. A command is `key=value` in UTF-8; applying it returns the value the
 * key held before (`null` if none). Text commands keep the example readable; a real service would
 * use a binary encoding.
 */
export class KeyValue implements StateMachine<string | null> {
  readonly entries = new Map<string, string>();

  /** The command that sets `key` (which must not contain `=`) to `value`. */
  static set(key: string, value: string): Uint8Array {
    if (key.includes('=')) throw new RangeError(`a key must not contain "=", got ${JSON.stringify(key)}`);
    return new TextEncoder().encode(`${key}=${value}`);
  }

  apply(command: Uint8Array): string | null {
    const text = new TextDecoder().decode(command);
    const split = text.indexOf('=');
    const key = text.slice(0, split);
    const previous = this.entries.get(key) ?? null;
    this.entries.set(key, text.slice(split + 1));
    return previous;
  }
}
