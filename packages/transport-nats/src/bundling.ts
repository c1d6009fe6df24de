/**
 * Packing several encoded frames for one peer into one NATS message, and unpacking them.
 *
 * A bundle is a sequence of `[u32 big-endian length][frame]`. Raft sends bursts of small messages
 * to the same peer (pipelined AppendEntries, their acknowledgements, heartbeats); one NATS message
 * per burst instead of per frame saves the protocol overhead, server routing and client dispatch
 * that dominate the cost of small messages.
 *
 * @module
 */
import { FramingError } from './framing-error.js';

/** Bytes a bundle adds in front of each frame. */
export const BUNDLE_OVERHEAD_BYTES = 4;

/**
 * Packs `frames`, in order, into as few bundles as fit in `maxBundleBytes` each.
 *
 * @throws RangeError if a frame cannot fit in a bundle on its own (chunk it instead).
 */
export function packBundles(frames: readonly Uint8Array[], maxBundleBytes: number): Uint8Array[] {
  const bundles: Uint8Array[] = [];
  let start = 0;
  while (start < frames.length) {
    let end = start;
    let size = 0;
    for (; end < frames.length; end++) {
      const next = BUNDLE_OVERHEAD_BYTES + (frames[end]?.length ?? 0);
      if (size + next > maxBundleBytes) break;
      size += next;
    }
    if (end === start) {
      throw new RangeError(`a ${frames[start]?.length}-byte frame does not fit in a ${maxBundleBytes}-byte bundle`);
    }
    bundles.push(writeBundle(frames.slice(start, end), size));
    start = end;
  }
  return bundles;
}

function writeBundle(frames: readonly Uint8Array[], size: number): Uint8Array {
  const bundle = new Uint8Array(size);
  const view = new DataView(bundle.buffer);
  let at = 0;
  for (const frame of frames) {
    view.setUint32(at, frame.length);
    bundle.set(frame, at + BUNDLE_OVERHEAD_BYTES);
    at += BUNDLE_OVERHEAD_BYTES + frame.length;
  }
  return bundle;
}

/**
 * The frames of a received bundle, as views into it (no copy).
 *
 * @throws FramingError when the bundle is empty, truncated, or holds an empty frame.
 */
export function unpackBundle(bundle: Uint8Array): Uint8Array[] {
  if (bundle.length === 0) throw new FramingError('empty bundle');
  const view = new DataView(bundle.buffer, bundle.byteOffset, bundle.byteLength);
  const frames: Uint8Array[] = [];
  let at = 0;
  while (at < bundle.length) {
    if (at + BUNDLE_OVERHEAD_BYTES > bundle.length) {
      throw new FramingError(`bundle truncated: ${bundle.length - at} stray bytes after frame ${frames.length}`);
    }
    const length = view.getUint32(at);
    const start = at + BUNDLE_OVERHEAD_BYTES;
    if (length === 0 || start + length > bundle.length) {
      throw new FramingError(`bundle frame ${frames.length} claims ${length} bytes, ${bundle.length - start} remain`);
    }
    frames.push(bundle.subarray(start, start + length));
    at = start + length;
  }
  return frames;
}
