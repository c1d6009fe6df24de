import { storageCrashSuite } from '@raft/conformance/storage-suite';

const module = new URL('./crash-open.ts', import.meta.url);

storageCrashSuite('LmdbStorage', { module });
// Saves issued in one event-loop turn share an LMDB commit, so a kill can land with several in flight.
storageCrashSuite('LmdbStorage', { module, concurrency: 8, kills: 30 });
