/**
 * Third-party-style adapters for `@raft/log`, written against the public contracts of `@raft/core`
 * and checked by the contract suites of `@raft/conformance`: a transport over plain TCP
 * (`node:net`) and a storage over plain files (JSON lines + fdatasync).
 */
export { TcpTransport, parseAddress, type TcpTransportOptions, type TcpPeers } from './tcp-transport.js';
export { JsonlStorage } from './jsonl-storage.js';
export { CorruptionError } from './durable.js';
export { freeLoopbackAddresses } from './addresses.js';
