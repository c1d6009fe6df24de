import type { JsonValue } from '../history/types.js';

/**
 * JSON text of a value with object keys sorted, so that values equal as JSON have equal text
 * whatever order their keys were written in.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`).join(',')}}`;
}

/**
 * Numbers distinct register values densely, so that the search compares small integers instead
 * of JSON. `null` (an absent key) is always 0, the register's initial state.
 */
export class ValueTable {
  /** The id of `null`, i.e. of an absent key. */
  static readonly ABSENT = 0;

  private readonly ids = new Map<string, number>([['null', ValueTable.ABSENT]]);
  private readonly values: JsonValue[] = [null];

  /** The id of a value, allocating one on first sight. */
  idOf(value: JsonValue): number {
    const text = canonicalJson(value);
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(text, id);
      this.values.push(value);
    }
    return id;
  }

  /** How many distinct values have ids; ids run from 0 to `size - 1`. */
  get size(): number {
    return this.values.length;
  }

  /** The value an id stands for. */
  valueOf(id: number): JsonValue {
    const value = this.values[id];
    if (value === undefined) throw new RangeError(`no register value has id ${id}`);
    return value;
  }
}
