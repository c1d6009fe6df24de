/**
 * Child process for the lock tests: opens the data directory given as argument, saves three
 * entries, prints "locked", then holds the directory until it is killed. If the directory is taken,
 * prints "refused <owner pid>" and exits.
 */
import { testEntries } from '@raft/conformance/storage-suite';
import { DirectoryLockedError, LevelStorage } from '../src/index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: hold-lock <data-dir>');
try {
  const storage = await LevelStorage.open(dir);
  await storage.load();
  await storage.save({ entries: testEntries(1, 3, 1), hardState: { term: 1, vote: 1, commit: 1 } });
  process.stdout.write('locked\n');
  setInterval(() => undefined, 1 << 30);
} catch (e) {
  if (!(e instanceof DirectoryLockedError)) throw e;
  process.stdout.write(`refused ${e.pid}\n`);
}
