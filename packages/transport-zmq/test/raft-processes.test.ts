import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessCluster } from '@raft/conformance/cluster';
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
    const first = await cluster.leader();
    const acknowledged: number[] = [];
    for (let v = 1; v <= 20; v++) {
      await cluster.propose(first, v);
      acknowledged.push(v);
    }

    await cluster.kill(first);
    const second = await cluster.leader();
    expect(second).not.toBe(first);
    for (let v = 21; v <= 40; v++) {
      await cluster.propose(second, v);
      acknowledged.push(v);
    }

    await cluster.startNode(first);
    await cluster.until(`node ${first} to catch up after its restart`, 20_000, async () => {
      const status = await cluster.status(first);
      return status.values.length === acknowledged.length;
    });
    for (const id of cluster.running) expect((await cluster.status(id)).values).toEqual(acknowledged);
  });
});
