import { storageCrashSuite } from '@raft/conformance/storage-suite';

storageCrashSuite('FileStorage', { module: new URL('./crash-open.ts', import.meta.url) });
