import { raftVitestConfig } from '@raft/tooling/vitest';

export default raftVitestConfig();
