import { raftVitestConfig } from '@raft/tooling/vitest';

// The tests start nats-server processes: run files one at a time on the shared 2-core machine.
export default raftVitestConfig({ fileParallelism: false });
