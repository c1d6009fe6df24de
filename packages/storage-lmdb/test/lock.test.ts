import { directoryLockSuite } from '@raft/storage-kit/testing';

directoryLockSuite('LmdbStorage', { module: new URL('./crash-open.ts', import.meta.url) });
