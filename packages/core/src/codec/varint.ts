import { CodecError } from './codec-error.js';

/**
 * Unsigned LEB128 for non-negative safe integers (up to 2^53 - 1): 7 bits a byte, low bits first,
 * high bit set on every byte but the last. Small numbers (most node ids, counts and lengths) take
 * one byte; any safe integer takes at most 8.
 *
 * Numbers above 2^31 cannot go through 32-bit bitwise operators, so they take the arithmetic path.
 */

const TWO_POW_31 = 0x80000000;

/** The most bytes a safe integer needs (ceil(53 / 7)). */
export const MAX_VARINT_BYTES = 8;

/** Throws unless `value` is a non-negative safe integer, naming the field it came from. */
export function checkUint(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CodecError(`cannot encode ${field} = ${String(value)}: it must be a non-negative safe integer`);
  }
}

/** Bytes `value` takes as a varint. `value` must already be checked with {@link checkUint}. */
export function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  let size = 4;
  let rest = Math.floor(value / 0x10000000);
  while (rest > 0) {
    size++;
    rest = Math.floor(rest / 0x80);
  }
  return size;
}

/** Writes `value` at `pos` and returns the position after it. */
export function writeVarint(buf: Uint8Array, pos: number, value: number): number {
  let rest = value;
  while (rest >= TWO_POW_31) {
    buf[pos++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  while (rest > 0x7f) {
    buf[pos++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  buf[pos++] = rest;
  return pos;
}
