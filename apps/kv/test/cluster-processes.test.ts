import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { NatsServer } from '@raft/transport-nats/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type RunningDemo } from '../src/demo/supervisor.js';

let demo: RunningDemo;

interface NodeView {
  readonly id: number;
  readonly alive: boolean;
  readonly status?: { role: string; leader: number; appliedIndex: number };
}

async function cluster(): Promise<NodeView[]> {
  const reply = await fetch(new URL('api/cluster', demo.dashboardUrl));
  return ((await reply.json()) as { nodes: NodeView[] }).nodes;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(100);
  }
}

const urlOf = (id: number) => demo.nodes.find((n) => n.id === id)!.http;

async function put(id: number, key: string, value: string): Promise<number> {
  const reply = await fetch(`${urlOf(id)}/v1/kv/${key}`, { method: 'PUT', body: value, signal: AbortSignal.timeout(10_000) });
  return reply.status;
}

describe.each(['zmq', 'nats'] as const)('raft-kv: three OS processes over %s with file storage', (transport) => {
  let nats: NatsServer | undefined;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), `raft-kv-e2e-${transport}-`));
    // NATS runs on a server of the test's own, never the machine's 4222.
    nats = transport === 'nats' ? await NatsServer.start() : undefined;
    const nodeArgs = nats === undefined ? [] : ['--nats', nats.url];
    demo = await startDemo({ nodes: 3, transport, storage: 'file', dataDir, dashboardPort: 0, nodeArgs });
  });
  afterAll(async () => {
    await demo?.stop();
    await nats?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes through any node, survives SIGKILL of the leader, and the restarted node catches up', async () => {
    const leader = await demo.waitForLeader(20_000);
    const follower = demo.nodes.find((n) => n.id !== leader)!.id;
    const acknowledged = new Map<string, string>();
    for (let i = 0; i < 10; i++) {
      expect(await put(follower, `k${i}`, `v${i}`)).toBe(200);
      acknowledged.set(`k${i}`, `v${i}`);
    }

    expect((await fetch(new URL(`api/nodes/${leader}/kill`, demo.dashboardUrl), { method: 'POST' })).status).toBe(200);
    const survivors = demo.nodes.filter((n) => n.id !== leader).map((n) => n.id);
    const next = await until('a new leader among the survivors', async () => {
      const views = await cluster();
      return views.find((v) => v.alive && v.status?.role === 'leader' && survivors.includes(v.id))?.id;
    });
    expect(next).not.toBe(leader);
    for (let i = 10; i < 20; i++) {
      // Any survivor takes the write (a follower forwards it to the new leader). Until the other
      // survivor has heard of the new leader it answers 503, which promises the write was not
      // applied: a client may simply retry.
      let status = await put(survivors[i % 2]!, `k${i}`, `v${i}`);
      for (let retries = 0; status === 503 && retries < 100; retries++) {
        await delay(100);
        status = await put(survivors[i % 2]!, `k${i}`, `v${i}`);
      }
      expect(status).toBe(200);
      acknowledged.set(`k${i}`, `v${i}`);
    }

    expect((await fetch(new URL(`api/nodes/${leader}/restart`, demo.dashboardUrl), { method: 'POST' })).status).toBe(200);
    // Reads answer 503 (definitely nothing read) until the restarted node has heard from the leader.
    await until(`node ${leader} to follow the new leader again`, async () => {
      const status = (await (await fetch(`${urlOf(leader)}/v1/status`)).json()) as { leader: number };
      return status.leader === next ? true : undefined;
    });
    for (const [key, value] of acknowledged) {
      for (const node of demo.nodes) {
        // A linearizable read on every node, the restarted one included, sees every acknowledged write.
        const reply = await fetch(`${urlOf(node.id)}/v1/kv/${key}`, { signal: AbortSignal.timeout(10_000) });
        expect({ node: node.id, key, status: reply.status, value: await reply.text() }).toEqual({ node: node.id, key, status: 200, value });
      }
    }
  }, 90_000);
});

describe('raft-kv configuration', () => {
  it('rejects a bad configuration with exit code 2 and a precise message', async () => {
    const { spawnSync } = await import('node:child_process');
    const { nodeCommand } = await import('../src/local-cluster/node-command.js');
    const { command, argv } = nodeCommand(['--id', '1', '--peers', '1,2']);
    const result = spawnSync(command, argv, { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--peers lists this node's own id 1/);
  });

  it('names an adapter module it cannot load, with exit code 2', async () => {
    const { spawnSync } = await import('node:child_process');
    const { nodeCommand } = await import('../src/local-cluster/node-command.js');
    const dataDir = await mkdtemp(join(tmpdir(), 'raft-kv-module-'));
    const { command, argv } = nodeCommand(['--id', '1', '--peers', '2', '--transport', '/nonexistent/transport.js', '--data-dir', dataDir]);
    const result = spawnSync(command, argv, { encoding: 'utf8' });
    await rm(dataDir, { recursive: true, force: true });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/cannot load the adapter module \/nonexistent\/transport\.js/);
  });
});
