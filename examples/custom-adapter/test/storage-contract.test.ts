// Runs the storage suites of @raft/conformance against JsonlStorage, as any storage adapter's
// author would: the contract case by case, seeded damage to its files, and SIGKILLs mid-write.
import { storageContractSuite, storageCorruptionSuite, storageCrashSuite } from '@raft/conformance/storage-suite';
import { JsonlStorage } from '../src/index.js';

const open = (dir: string) => JsonlStorage.open(dir);

storageContractSuite('JsonlStorage', { open });
storageCorruptionSuite('JsonlStorage', { open });
storageCrashSuite('JsonlStorage', { module: new URL('./crash-open.ts', import.meta.url), kills: 50 });
