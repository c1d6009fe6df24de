/**
 * Bytes received from NATS cannot be a bundle or a chunk: too short, empty, or with lengths and
 * offsets pointing outside the payload. The transport drops such input and counts it as malformed.
 */
export class FramingError extends Error {
  override readonly name = 'FramingError';
}
