// Whole Raft clusters over both custom adapters, each node an OS process (ProcessCluster from
// @raft/conformance/cluster): SIGKILL the leader mid-run and restart it from its data directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessCluster } from '@raft/conformance/cluster';
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

  const first = await cluster.leader();
  const acknowledged: number[] = [];
  for (let v = 1; v <= 20; v++) {
    await cluster.propose(first, v);
    acknowledged.push(v);
  }
  await cluster.kill(first); // SIGKILL: whatever it acknowledged must be on disk
  const second = await cluster.leader();
  expect(second).not.toBe(first);
  for (let v = 21; v <= 40; v++) {
    await cluster.propose(second, v);
    acknowledged.push(v);
  }

  await cluster.startNode(first);
  await cluster.until(`node ${first} to catch up after its restart`, 20_000, async () => (await cluster!.status(first)).values.length === acknowledged.length);
  for (const id of cluster.running) expect((await cluster.status(id)).values).toEqual(acknowledged);
}, 60_000);
