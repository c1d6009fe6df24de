/**
 * A frame or encoded value could not be decoded (truncated, corrupted, from another cluster or
 * from an incompatible version), or a value could not be encoded because a field is out of range.
 *
 * The message says which, and where. A transport that receives such a frame should drop it (and
 * may count or log it): Raft treats a lost message like any other dropped datagram.
 */
export class CodecError extends Error {
  override readonly name = 'CodecError';
}
