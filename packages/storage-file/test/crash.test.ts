import { storageCrashSuite } from '@raft/conformance/storage-suite';

const module = new URL('./crash-open.ts', import.meta.url);

storageCrashSuite('FileStorage', { module });
// Group commit: concurrent saves share frames, so a kill can land with several batches in flight.
storageCrashSuite('FileStorage', { module, concurrency: 8, kills: 30 });
