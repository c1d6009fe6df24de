import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessCluster, checkLeaderFailover } from '@raft/conformance/cluster';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NatsCluster } from '../src/testing/index.js';
import { SERVERS_ENV } from './raft/nats-file-adapters.js';

const ADAPTERS = fileURLToPath(new URL('./raft/nats-file-adapters.ts', import.meta.url));

let nats: NatsCluster;
let dataDir: string;
let raft: ProcessCluster | undefined;

beforeAll(async () => {
  nats = await NatsCluster.start({ size: 3 });
  // Each node process connects to every server of the NATS cluster; it inherits this variable.
  process.env[SERVERS_ENV] = nats.urls.join(',');
});
afterAll(async () => {
  await nats.stop();
});
afterEach(async () => {
  await raft?.stop();
  raft = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

async function startRaft(size: number): Promise<ProcessCluster> {
  dataDir = await mkdtemp(join(tmpdir(), 'raft-nats-'));
  raft = await ProcessCluster.start({ ids: Array.from({ length: size }, (_, i) => i + 1), adapters: ADAPTERS, dataDir });
  return raft;
}

describe.each([3, 5])('%i Raft nodes as OS processes over NATS with file storage', (size) => {
  it('elect a leader, commit, survive SIGKILL of the leader, and take the restarted node back', async () => {
    const cluster = await startRaft(size);
    const failover = await checkLeaderFailover(cluster, { writesPerLeader: 20 });
    expect(failover.acknowledged).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});
