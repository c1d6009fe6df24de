/**
 * The KV service's commands and their compact binary encoding (what goes into a Raft entry).
 *
 * Layout: one op byte, then length-prefixed UTF-8 strings. A `null` expectation in a
 * compare-and-set is a distinct flag, not an empty string, because "absent" and "empty" differ.
 */

/** A command the KV state machine applies. */
export type KvCommand =
  | { readonly op: 'put'; readonly key: string; readonly value: string }
  | { readonly op: 'delete'; readonly key: string }
  | { readonly op: 'cas'; readonly key: string; readonly expect: string | null; readonly value: string };

const OP_PUT = 1;
const OP_DELETE = 2;
const OP_CAS = 3;
const OP_CAS_EXPECT_ABSENT = 4;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Encodes a command for a Raft entry. */
export function encodeCommand(command: KvCommand): Uint8Array {
  const parts: Uint8Array[] = [utf8.encode(command.key)];
  let op: number;
  switch (command.op) {
    case 'put':
      op = OP_PUT;
      parts.push(utf8.encode(command.value));
      break;
    case 'delete':
      op = OP_DELETE;
      break;
    case 'cas':
      op = command.expect === null ? OP_CAS_EXPECT_ABSENT : OP_CAS;
      if (command.expect !== null) parts.push(utf8.encode(command.expect));
      parts.push(utf8.encode(command.value));
      break;
  }
  const size = 1 + parts.reduce((n, p) => n + 4 + p.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = op;
  let at = 1;
  for (const p of parts) {
    view.setUint32(at, p.length);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}

/** Decodes a command; throws a `TypeError` naming the problem if `bytes` is not one. */
export function decodeCommand(bytes: Uint8Array): KvCommand {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 1;
  const field = (name: string): string => {
    if (at + 4 > bytes.length) throw new TypeError(`KV command truncated before its ${name}`);
    const length = view.getUint32(at);
    if (at + 4 + length > bytes.length) throw new TypeError(`KV command's ${name} runs past its end`);
    const text = utf8Decoder.decode(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
    return text;
  };
  const op = bytes[0];
  let command: KvCommand;
  switch (op) {
    case OP_PUT:
      command = { op: 'put', key: field('key'), value: field('value') };
      break;
    case OP_DELETE:
      command = { op: 'delete', key: field('key') };
      break;
    case OP_CAS: {
      const key = field('key');
      const expect = field('expected value');
      command = { op: 'cas', key, expect, value: field('value') };
      break;
    }
    case OP_CAS_EXPECT_ABSENT:
      command = { op: 'cas', key: field('key'), expect: null, value: field('value') };
      break;
    default:
      throw new TypeError(`unknown KV command op ${op}`);
  }
  if (at !== bytes.length) throw new TypeError(`KV command has ${bytes.length - at} trailing bytes`);
  return command;
}
