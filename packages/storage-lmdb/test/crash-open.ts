/** How the crash harness opens an LmdbStorage, in its child process and in the test process. */
import { LmdbStorage } from '../src/index.js';

/** Small snapshot chunks, so a kill can land between the chunks of a snapshot being written. */
export const openStorage = (dir: string): Promise<LmdbStorage> => LmdbStorage.open(dir, { snapshotChunkBytes: 4096 });
