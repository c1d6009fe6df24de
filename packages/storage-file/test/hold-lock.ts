/**
 * Child process for the lock tests: opens the data directory given as argument, saves one entry,
 * prints "locked", then stays alive holding the lock until it is killed.
 */
import { testEntries } from '@raft/conformance/storage-suite';
import { FileStorage } from '../src/index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: hold-lock <data-dir>');
const storage = await FileStorage.open(dir);
await storage.load();
await storage.save({ entries: testEntries(1, 3, 1), hardState: { term: 1, vote: 1, commit: 1 } });
process.stdout.write('locked\n');
setInterval(() => undefined, 1 << 30);
