/**
 * A third-party-style transport adapter for `@raft/log`: plain TCP over `node:net`, checked by the
 * transport contract suite of `@raft/conformance`.
 */
export { TcpTransport, parseAddress, type TcpTransportOptions, type TcpPeers } from './tcp-transport.js';
export { freeLoopbackAddresses } from './addresses.js';
