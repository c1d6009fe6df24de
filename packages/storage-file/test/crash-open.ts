/** How the crash harness opens a FileStorage, in its child process and in the test process. */
import { FileStorage } from '../src/index.js';

/** Small segments, so the crash workload rolls over and compacts whole segments often. */
export const openStorage = (dir: string): Promise<FileStorage> => FileStorage.open(dir, { segmentBytes: 16 * 1024 });
