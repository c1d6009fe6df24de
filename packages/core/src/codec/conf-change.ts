import { ConfChangeTransition, ConfChangeType, type ConfChange, type ConfChangeSingle } from '../types.js';
import { CodecError } from './codec-error.js';
import { FrameReader } from './reader.js';
import { blobSize, FrameWriter, uintSize } from './writer.js';

/*
 * Layout: version u8  transition u8  count, then per change: type u8  node  — then context bytes.
 * It is stored in log entries, so it carries its own version: old entries outlive upgrades.
 */

const CONF_CHANGE_VERSION = 1;
/** Smallest encoded change: type and a one-byte node id. */
const MIN_CHANGE_BYTES = 2;

const TRANSITIONS: ReadonlySet<number> = new Set(Object.values(ConfChangeTransition));
const CHANGE_TYPES: ReadonlySet<number> = new Set(Object.values(ConfChangeType));

/**
 * Encodes a membership change for the `data` of an `EntryType.ConfChange` entry.
 *
 * @throws {@link CodecError} for an unknown transition or change type or an invalid node id.
 */
export function encodeConfChange(cc: ConfChange): Uint8Array {
  if (!TRANSITIONS.has(cc.transition)) {
    throw new CodecError(`cannot encode a conf change with unknown transition ${String(cc.transition)}`);
  }
  let size = 2 + uintSize(cc.changes.length, 'change count') + blobSize(cc.context);
  for (const change of cc.changes) {
    if (!CHANGE_TYPES.has(change.type)) {
      throw new CodecError(`cannot encode a conf change of unknown type ${String(change.type)}`);
    }
    size += 1 + uintSize(change.node, 'node id');
  }
  const out = new FrameWriter(size);
  out.byte(CONF_CHANGE_VERSION);
  out.byte(cc.transition);
  out.uint(cc.changes.length);
  for (const change of cc.changes) {
    out.byte(change.type);
    out.uint(change.node);
  }
  out.blob(cc.context);
  return out.finish();
}

/**
 * Decodes the `data` of an `EntryType.ConfChange` entry. `context` is a view into `bytes`.
 *
 * @throws {@link CodecError} for anything but a complete, valid encoding.
 */
export function decodeConfChange(bytes: Uint8Array): ConfChange {
  const input = new FrameReader(bytes, 'conf change');
  const version = input.byte('version');
  if (version !== CONF_CHANGE_VERSION) {
    input.fail(`format version ${version} is not supported (this build reads version ${CONF_CHANGE_VERSION})`);
  }
  const transition = input.byte('transition');
  if (!TRANSITIONS.has(transition)) input.fail(`unknown transition ${transition}`);
  const count = input.count('change', MIN_CHANGE_BYTES);
  const changes = new Array<ConfChangeSingle>(count);
  for (let i = 0; i < count; i++) {
    const type = input.byte('change type');
    if (!CHANGE_TYPES.has(type)) input.fail(`unknown change type ${type}`);
    changes[i] = { type: type as ConfChangeType, node: input.uint('node id') };
  }
  const context = input.blob('context');
  input.end();
  return { transition: transition as ConfChangeTransition, changes, context };
}
