import { directoryLockSuite } from '@raft/storage-kit/testing';

directoryLockSuite('LevelStorage', { module: new URL('./crash-open.ts', import.meta.url) });
