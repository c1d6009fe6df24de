// What the storage crash suite's child process opens (and the test reopens after each SIGKILL).
import { JsonlStorage } from '../src/index.js';

export const openStorage = (dir: string) => JsonlStorage.open(dir);
