/**
 * Child process of {@link directoryLockSuite}: opens the data directory through the adapter's open
 * module, saves three entries, prints "locked", then holds the directory until it is killed. If the
 * directory is taken, prints "refused <owner pid>" and exits.
 *
 * Usage: node --import tsx --conditions=@raft/source hold-lock.ts <module-url> <data-dir>
 */
import { testEntries, type CrashOpenModule } from '@raft/conformance/storage-suite';
import { DirectoryLockedError } from '../errors.js';

const [moduleUrl, dir] = process.argv.slice(2);
if (moduleUrl === undefined || dir === undefined) throw new Error('usage: hold-lock <module-url> <data-dir>');
const { openStorage } = (await import(moduleUrl)) as CrashOpenModule;
try {
  const storage = await openStorage(dir);
  await storage.load();
  await storage.save({ entries: testEntries(1, 3, 1), hardState: { term: 1, vote: 1, commit: 1 } });
  process.stdout.write('locked\n');
  setInterval(() => undefined, 1 << 30);
} catch (e) {
  if (!(e instanceof DirectoryLockedError)) throw e;
  process.stdout.write(`refused ${e.pid}\n`);
}
