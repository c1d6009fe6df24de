/**
 * `@raft/storage-memory`: a Raft `Storage` (the contract of `@raft/core`) kept in memory, for tests, simulations and
 * examples.
 *
 * @packageDocumentation
 */
export { MemoryStorage } from './memory-storage.js';
