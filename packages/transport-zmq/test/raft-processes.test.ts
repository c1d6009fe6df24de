import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessCluster, checkLeaderFailover } from '@raft/conformance/cluster';
import { afterEach, describe, expect, it } from 'vitest';
import { loopbackAddresses } from './fixtures.js';
import { ADDRESSES_ENV } from './raft/zmq-file-adapters.js';

const ADAPTERS = fileURLToPath(new URL('./raft/zmq-file-adapters.ts', import.meta.url));

let dataDir: string;
let raft: ProcessCluster | undefined;

afterEach(async () => {
  await raft?.stop();
  raft = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

async function startRaft(size: number): Promise<ProcessCluster> {
  const ids = Array.from({ length: size }, (_, i) => i + 1);
  // Node processes inherit this variable: every node's listen address, by id.
  process.env[ADDRESSES_ENV] = JSON.stringify(Object.fromEntries(await loopbackAddresses(ids)));
  dataDir = await mkdtemp(join(tmpdir(), 'raft-zmq-'));
  raft = await ProcessCluster.start({ ids, adapters: ADAPTERS, dataDir });
  return raft;
}

describe.each([3, 5])('%i Raft nodes as OS processes over ZeroMQ with file storage', (size) => {
  it('elect a leader, commit, survive SIGKILL of the leader, and take the restarted node back', async () => {
    const cluster = await startRaft(size);
    const failover = await checkLeaderFailover(cluster, { writesPerLeader: 20 });
    expect(failover.acknowledged).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});
