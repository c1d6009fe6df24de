/**
 * `@raft/core`: the Raft consensus algorithm as a pure, deterministic state machine.
 *
 * @packageDocumentation
 */
export * from './types.js';
export * from './config.js';
export * from './ready.js';
export * from './errors.js';
export * from './random.js';
export * from './adapters/storage.js';
export * from './adapters/transport.js';
export * from './status.js';
export { RawNode } from './raw-node.js';
export { ConfChangeError } from './confchange/changer.js';
export { StoredLog } from './adapters/stored-log.js';
export { createMessage } from './raft/messages.js';
