import { EMPTY } from '../types.js';
import { CodecError } from './codec-error.js';
import { MAX_VARINT_BYTES } from './varint.js';

/**
 * Reads a frame with every access bounds-checked, so that garbage fails with a {@link CodecError}
 * saying what was being read and where, never with a RangeError or an out-of-memory.
 *
 * Byte strings are returned as views of the frame (no copy).
 */
export class FrameReader {
  private pos = 0;

  constructor(
    private readonly frame: Uint8Array,
    /** What the frame holds, for error messages ("message frame", "conf change"). */
    private readonly what: string,
  ) {}

  get remaining(): number {
    return this.frame.length - this.pos;
  }

  fail(problem: string): never {
    throw new CodecError(`invalid ${this.what}: ${problem}`);
  }

  byte(field: string): number {
    if (this.pos >= this.frame.length) this.truncated(field);
    return this.frame[this.pos++] as number;
  }

  uint(field: string): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const b = this.byte(field);
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (b === 0 && i > 0) this.fail(`${field} at offset ${start} is an overlong varint`);
        if (result > Number.MAX_SAFE_INTEGER) this.fail(`${field} at offset ${start} exceeds 2^53 - 1`);
        return result;
      }
      scale *= 0x80;
    }
    return this.fail(`${field} at offset ${start} is a varint longer than ${MAX_VARINT_BYTES} bytes`);
  }

  bool(field: string): boolean {
    const b = this.byte(field);
    if (b > 1) this.fail(`${field} at offset ${this.pos - 1} is ${b}, expected 0 or 1`);
    return b === 1;
  }

  /** A length-prefixed byte string, as a view of the frame. */
  blob(field: string): Uint8Array {
    const length = this.uint(`${field} length`);
    if (length > this.remaining) {
      this.fail(`${field} length ${length} at offset ${this.pos} runs past the end (${this.remaining} bytes left)`);
    }
    if (length === 0) return EMPTY;
    const view = this.frame.subarray(this.pos, this.pos + length);
    this.pos += length;
    return view;
  }

  /**
   * A count of items that take at least `minItemBytes` each; rejects counts the rest of the frame
   * cannot hold, so a corrupted count never makes the decoder allocate or loop without bound.
   */
  count(field: string, minItemBytes: number): number {
    const count = this.uint(`${field} count`);
    if (count * minItemBytes > this.remaining) {
      this.fail(`${field} count ${count} at offset ${this.pos} runs past the end (${this.remaining} bytes left)`);
    }
    return count;
  }

  uints(field: string): number[] {
    const count = this.count(field, 1);
    const values = new Array<number>(count);
    for (let i = 0; i < count; i++) values[i] = this.uint(field);
    return values;
  }

  /** Checks that the whole frame was consumed. */
  end(): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} trailing bytes after offset ${this.pos}`);
  }

  private truncated(field: string): never {
    return this.fail(`truncated: ${field} at offset ${this.pos} runs past the end (${this.frame.length} bytes)`);
  }
}
