import { checkUint, varintSize, writeVarint } from './varint.js';

/**
 * Writes into a buffer allocated once at the exact size the encoder computed beforehand. Sizing
 * and writing are separate passes so that an encode allocates a single `Uint8Array`.
 */
export class FrameWriter {
  readonly bytes: Uint8Array;
  private pos = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }

  byte(value: number): void {
    this.bytes[this.pos++] = value;
  }

  uint(value: number): void {
    this.pos = writeVarint(this.bytes, this.pos, value);
  }

  /** A varint length followed by the bytes. */
  blob(value: Uint8Array): void {
    this.uint(value.length);
    this.bytes.set(value, this.pos);
    this.pos += value.length;
  }

  /** A varint count followed by each id as a varint. */
  uints(values: readonly number[]): void {
    this.uint(values.length);
    for (const value of values) this.uint(value);
  }

  /** The buffer, after checking the sizing pass and the writing pass agree. */
  finish(): Uint8Array {
    if (this.pos !== this.bytes.length) {
      throw new Error(`codec bug: sized ${this.bytes.length} bytes but wrote ${this.pos}`);
    }
    return this.bytes;
  }
}

/** Size of a checked varint field. */
export function uintSize(value: number, field: string): number {
  checkUint(value, field);
  return varintSize(value);
}

/** Size of a length-prefixed byte string. */
export function blobSize(value: Uint8Array): number {
  return varintSize(value.length) + value.length;
}

/** Size of a count-prefixed list of checked varints. */
export function uintsSize(values: readonly number[], field: string): number {
  let size = varintSize(values.length);
  for (const value of values) size += uintSize(value, field);
  return size;
}
