import { storageCrashSuite } from '@raft/conformance/storage-suite';

const module = new URL('./crash-open.ts', import.meta.url);

storageCrashSuite('LevelStorage', { module });
// Saves that arrive while a batch is being written share the next one, so a kill can land with several in flight.
storageCrashSuite('LevelStorage', { module, concurrency: 8, kills: 30 });
