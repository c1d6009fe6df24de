import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { freePorts } from '../src/local-cluster/free-ports.js';
import { nodeCommand } from '../src/local-cluster/node-command.js';

/** A parsed reply body: JSON fields as the API documents them, or the text of a value. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads whichever documented field it needs
type Reply = any;

/** raft-kv processes started by hand: founders, and nodes that join later. */
class Processes {
  readonly children = new Map<number, ChildProcess>();
  /** Each node's log lines (JSON), shown when the test fails. */
  readonly logs = new Map<number, string[]>();
  readonly http = new Map<number, string>();
  constructor(
    readonly dir: string,
    readonly clusterFile: string,
  ) {}

  static async create(ids: readonly number[]): Promise<Processes> {
    const dir = await mkdtemp(join(tmpdir(), 'raft-kv-members-'));
    const ports = await freePorts(ids.length * 2);
    const members = Object.fromEntries(ids.map((id, i) => [id, { raft: `tcp://127.0.0.1:${ports[2 * i]}`, http: `http://127.0.0.1:${ports[2 * i + 1]}` }]));
    const processes = new Processes(dir, join(dir, 'cluster.json'));
    await writeFile(processes.clusterFile, JSON.stringify({ members }));
    for (const id of ids) processes.http.set(id, members[id]!.http);
    return processes;
  }

  start(id: number, peers: readonly number[], join = false): void {
    const args = ['--id', String(id), '--peers', peers.filter((p) => p !== id).join(','), '--cluster', this.clusterFile];
    args.push('--data-dir', `${this.dir}/node-${id}`, '--snapshot-entries', '20', '--log-level', 'info');
    if (join) args.push('--join');
    const { command, argv } = nodeCommand(args);
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = this.logs.get(id) ?? [];
    this.logs.set(id, lines);
    lines.push(`--- started${join ? ' (join)' : ''}`);
    const keep = (chunk: Buffer) => lines.push(...chunk.toString().trimEnd().split('\n'));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.children.set(id, child);
  }

  async kill(id: number): Promise<void> {
    const child = this.children.get(id)!;
    this.children.delete(id);
    child.kill('SIGKILL');
    if (child.exitCode === null) await once(child, 'exit');
  }

  async stop(): Promise<void> {
    await Promise.all([...this.children.keys()].map((id) => this.kill(id)));
    await rm(this.dir, { recursive: true, force: true });
  }

  async json(id: number, path: string, init?: RequestInit): Promise<{ status: number; body: Reply }> {
    const reply = await fetch(`${this.http.get(id)}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
    const text = await reply.text();
    return { status: reply.status, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text };
  }

  async until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = await probe().catch(() => undefined);
      if (found !== undefined) return found;
      if (performance.now() > deadline) {
        const logs = [...this.logs].map(([id, lines]) => `node ${id}:\n  ${lines.slice(-15).join('\n  ')}`).join('\n');
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${logs}`);
      }
      await delay(100);
    }
  }

  /** The leader as seen by `among`, once they all agree. */
  leader(among: readonly number[]): Promise<number> {
    return this.until(`a leader agreed on by ${among.join(', ')}`, async () => {
      const statuses = await Promise.all(among.map(async (id) => (await this.json(id, '/v1/status')).body as { role: string; leader: number; id: number }));
      const leader = statuses.find((s) => s.role === 'leader');
      return leader && statuses.every((s) => s.leader === leader.id) ? leader.id : undefined;
    });
  }
}

let processes: Processes | undefined;
afterAll(async () => {
  await processes?.stop();
});

describe('membership changes across raft-kv processes (zmq + file)', () => {
  it('adds two nodes under write load, promotes them, removes the leader, and a node that lost its disk is replaced from a snapshot', async () => {
    const p = (processes = await Processes.create([1, 2, 3, 4, 5, 6]));
    for (const id of [1, 2, 3]) p.start(id, [1, 2, 3]);
    let leader = await p.leader([1, 2, 3]);

    // Write load through whichever node is up, recording what was acknowledged.
    const acknowledged = new Map<string, string>();
    let writing = true;
    let members = [1, 2, 3];
    const load = (async () => {
      for (let i = 0; writing; i++) {
        const target = members[i % members.length]!;
        const reply = await p.json(target, `/v1/kv/k${i}`, { method: 'PUT', body: `v${i}` }).catch(() => undefined);
        if (reply?.status === 200) acknowledged.set(`k${i}`, `v${i}`);
      }
    })();

    for (const id of [4, 5]) p.start(id, [1, 2, 3], true);
    for (const id of [4, 5]) {
      await p.until(`node ${id} to come up`, async () => ((await p.json(id, '/v1/status')).status === 200 ? true : undefined));
      expect((await p.json(1, `/v1/members/${id}`, { method: 'POST', body: '{"as":"learner"}' })).status).toBe(200);
    }
    for (const id of [4, 5]) expect((await p.json(2, `/v1/members/${id}`, { method: 'POST', body: '{"as":"voter"}' })).status).toBe(200);
    // The change is applied on the node that made it; the others apply it as the commit reaches them.
    await p.until('node 3 to apply both promotions', async () => {
      const { body } = await p.json(3, '/v1/members');
      return JSON.stringify(body) === JSON.stringify({ voters: [1, 2, 3, 4, 5], learners: [], joint: false }) ? true : undefined;
    });

    members = [1, 2, 3, 4, 5].filter((id) => id !== leader);
    expect((await p.json(members[0]!, `/v1/members/${leader}`, { method: 'DELETE' })).status).toBe(200);
    const removed = leader;
    leader = await p.leader(members);
    expect(leader).not.toBe(removed);
    await p.kill(removed);

    // A voter loses its disk: it is removed, and the machine rejoins, empty, as a new node (ids are
    // never reused: messages meant for the old node may still be on their way), from a snapshot.
    const lost = members.find((id) => id !== leader)!;
    await p.kill(lost);
    expect((await p.json(leader, `/v1/members/${lost}`, { method: 'DELETE' })).status).toBe(200);
    members = members.filter((id) => id !== lost);
    // Let the load run on until the log the new node would need is compacted (snapshots every 20).
    const { commitIndex: atRemoval } = (await p.json(leader, '/v1/status')).body as { commitIndex: number };
    await p.until('40 more entries committed', async () => (((await p.json(leader, '/v1/status')).body.commitIndex as number) > atRemoval + 40 ? true : undefined));
    const fresh = 6;
    p.start(fresh, members, true);
    await p.until(`node ${fresh} to come up`, async () => ((await p.json(fresh, '/v1/status')).status === 200 ? true : undefined));
    expect((await p.json(leader, `/v1/members/${fresh}`, { method: 'POST', body: '{"as":"learner"}' })).status).toBe(200);
    writing = false;
    await load;

    const { commitIndex } = (await p.json(leader, '/v1/status')).body as { commitIndex: number };
    await p.until(`node ${fresh} to catch up`, async () => (((await p.json(fresh, '/v1/status')).body.appliedIndex as number) >= commitIndex ? true : undefined));
    expect(acknowledged.size).toBeGreaterThan(20);
    for (const [key, value] of acknowledged) {
      for (const id of members) expect({ id, key, ...(await p.json(id, `/v1/kv/${key}`)) }).toEqual({ id, key, status: 200, body: value });
      // The learner's local store, restored from a snapshot, holds every acknowledged write too.
      expect({ key, ...(await p.json(fresh, `/v1/kv/${key}?consistency=stale`)) }).toEqual({ key, status: 200, body: value });
    }
  }, 120_000);
});
