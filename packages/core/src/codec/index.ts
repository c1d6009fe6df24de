/**
 * `@raft/core/codec`: the binary wire format of Raft messages and the encoding of membership
 * changes stored in log entries.
 *
 * Frames are versioned and stamped with the cluster id, so a node rejects frames from another
 * cluster or an incompatible release with a {@link CodecError} instead of acting on them.
 *
 * @packageDocumentation
 */
export { CodecError } from './codec-error.js';
export { encodeMessage, decodeMessage, FRAME_VERSION } from './message.js';
export { encodeConfChange, decodeConfChange } from './conf-change.js';
