// Whole Raft clusters over both custom adapters, each node an OS process (ProcessCluster from
// @raft/conformance/cluster): SIGKILL the leader mid-run and restart it from its data directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessCluster, checkLeaderFailover } from '@raft/conformance/cluster';
import { afterEach, expect, it } from 'vitest';
import { freeLoopbackAddresses } from '../src/index.js';
import { ADDRESSES_ENV } from './cluster-adapters.js';

const ADAPTERS = fileURLToPath(new URL('./cluster-adapters.ts', import.meta.url));

let dataDir: string | undefined;
let cluster: ProcessCluster | undefined;

afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('three node processes elect, commit, survive SIGKILL of the leader, and take it back from its files', async () => {
  const ids = [1, 2, 3];
  process.env[ADDRESSES_ENV] = JSON.stringify(Object.fromEntries(await freeLoopbackAddresses(ids))); // inherited by the nodes
  dataDir = await mkdtemp(join(tmpdir(), 'raft-custom-adapter-processes-'));
  cluster = await ProcessCluster.start({ ids, adapters: ADAPTERS, dataDir, snapshotEntries: 15 });

  // SIGKILLs the leader (whatever it acknowledged must be on disk), commits under the next one,
  // restarts it from its files and checks every node holds exactly the acknowledged values.
  const failover = await checkLeaderFailover(cluster, { writesPerLeader: 20 });
  expect(failover.acknowledged).toHaveLength(40);
}, 60_000);
