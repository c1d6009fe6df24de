/**
 * `@raft/storage-memory`: a Raft {@link Storage} kept in memory, for tests, simulations and
 * examples.
 *
 * @packageDocumentation
 */
export { MemoryStorage } from './memory-storage.js';
