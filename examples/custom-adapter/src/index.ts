/**
 * Third-party-style adapters for `@raft/log`, written against the public contracts of `@raft/core`
 * and checked by the contract suites of `@raft/conformance`: a transport over plain TCP
 * (`node:net`) and a storage over plain files (JSON lines + fdatasync).
 */
export { TcpTransport, parseAddress, type TcpTransportOptions, type TcpPeers } from './tcp-transport.js';
export { JsonlStorage } from './jsonl-storage.js';
// The kit's error class, which every @raft storage adapter throws: callers catch one class.
export { StorageCorruptionError } from '@raft/storage-kit';
export { freeLoopbackAddresses } from './addresses.js';
