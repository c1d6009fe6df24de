/**
 * `pnpm bench`: LevelStorage append throughput, latency and group commit, as ratios to the raw
 * fdatasync rate of the same disk measured in the same run. Set RAFT_BENCH_DIR to bench another disk.
 */
import { benchmarkStorage, formatStorageBench } from '@raft/conformance/storage-suite';
import { LevelStorage } from '../src/index.js';

const result = await benchmarkStorage({
  open: (dir) => LevelStorage.open(dir),
  parentDir: process.env['RAFT_BENCH_DIR'],
});
console.log(formatStorageBench('@raft/storage-level (LevelStorage)', result));
