/** How the crash harness opens a LevelStorage, in its child process and in the test process. */
import { LevelStorage } from '../src/index.js';

/** Small snapshot chunks, so a kill can land between the chunks of a snapshot being written. */
export const openStorage = (dir: string): Promise<LevelStorage> => LevelStorage.open(dir, { snapshotChunkBytes: 4096 });
