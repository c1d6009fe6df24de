import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessKvCluster, type InProcessMember } from './support/in-process-cluster.js';

let cluster: InProcessKvCluster;
let leader: InProcessMember;
let follower: InProcessMember;

beforeAll(async () => {
  cluster = await InProcessKvCluster.start(3, 1024);
  leader = await cluster.leader();
  follower = cluster.follower(leader);
});
afterAll(async () => {
  await cluster.stop();
});

async function call(member: InProcessMember, method: string, path: string, body?: string) {
  const response = await fetch(`${member.http.url}${path}`, { method, body });
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  return { status: response.status, text, json };
}

/** Like `call`, but sends the path exactly as given (fetch would resolve `.` and `..` segments). */
function rawCall(member: InProcessMember, method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(member.http.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the KV HTTP API', () => {
  it('puts, gets, deletes and compare-and-sets, through a follower too', async () => {
    const put = await call(follower, 'PUT', '/v1/kv/colour', 'blue');
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ index: expect.any(Number) });
    expect(await call(leader, 'GET', '/v1/kv/colour')).toMatchObject({ status: 200, text: 'blue' });
    expect(await call(follower, 'GET', '/v1/kv/colour')).toMatchObject({ status: 200, text: 'blue' });

    const swapped = await call(follower, 'POST', '/v1/kv/colour/cas', JSON.stringify({ expect: 'blue', value: 'green' }));
    expect(swapped.status).toBe(200);
    const refused = await call(leader, 'POST', '/v1/kv/colour/cas', JSON.stringify({ expect: 'blue', value: 'red' }));
    expect(refused).toMatchObject({ status: 409, json: { error: 'cas_mismatch', current: 'green' } });
    const created = await call(leader, 'POST', '/v1/kv/fresh/cas', JSON.stringify({ expect: null, value: 'new' }));
    expect(created.status).toBe(200);

    expect((await call(follower, 'DELETE', '/v1/kv/colour')).status).toBe(200);
    expect(await call(leader, 'GET', '/v1/kv/colour')).toMatchObject({ status: 404, json: { error: 'not_found' } });
  });

  it('serves stale reads from the local store on request', async () => {
    await call(leader, 'PUT', '/v1/kv/stale', 'v1');
    // A linearizable read on the follower waits until it has applied the write.
    expect(await call(follower, 'GET', '/v1/kv/stale')).toMatchObject({ status: 200, text: 'v1' });
    expect(await call(follower, 'GET', '/v1/kv/stale?consistency=stale')).toMatchObject({ status: 200, text: 'v1' });
    expect((await call(follower, 'GET', '/v1/kv/stale?consistency=weird')).status).toBe(400);
  });

  it('takes the key from the path segment, percent-decoded, and options from the query string', async () => {
    expect((await call(leader, 'PUT', '/v1/kv/a%3Fb%20c%2Fd', 'odd')).status).toBe(200);
    expect(await call(follower, 'GET', '/v1/kv/a%3Fb%20c%2Fd?consistency=linearizable')).toMatchObject({ status: 200, text: 'odd' });
    expect(await call(leader, 'GET', '/v1/kv/a%3Fb%20c%2Fd?other=1&consistency=stale')).toMatchObject({ status: 200, text: 'odd' });
    expect(await call(leader, 'GET', '/v1/kv/a?b')).toMatchObject({ status: 404, json: { error: 'not_found' } });
    expect((await call(leader, 'GET', '/v1/kv/a/b/c')).status).toBe(404);
  });

  it('takes . and .. as ordinary keys, also when a follower forwards the write', async () => {
    expect((await rawCall(follower, 'PUT', '/v1/kv/..', 'up')).status).toBe(200);
    expect((await rawCall(leader, 'PUT', '/v1/kv/.', 'here')).status).toBe(200);
    expect(await rawCall(leader, 'GET', '/v1/kv/..')).toMatchObject({ status: 200, text: 'up' });
    expect(await rawCall(follower, 'GET', '/v1/kv/%2E')).toMatchObject({ status: 200, text: 'here' });
  });

  it('rejects bad input with 400, 405 and 413, and changes nothing', async () => {
    expect((await call(leader, 'POST', '/v1/kv/k/cas', '{not json')).status).toBe(400);
    expect((await call(leader, 'POST', '/v1/kv/k/cas', JSON.stringify({ expect: 1, value: 'x' }))).status).toBe(400);
    expect((await call(leader, 'PUT', '/v1/kv/%E0%A4%A', 'x')).status).toBe(400);
    expect((await call(leader, 'PUT', '/v1/kv/big', 'x'.repeat(2048))).status).toBe(413);
    expect((await call(leader, 'PATCH', '/v1/kv/k', 'x')).status).toBe(405);
    expect((await call(leader, 'GET', '/v1/nothing')).status).toBe(404);
    expect((await call(leader, 'GET', '/v1/kv/big')).status).toBe(404);
    expect((await call(leader, 'GET', '/v1/kv/k')).status).toBe(404);
  });

  it('snapshots a node on request', async () => {
    await call(leader, 'PUT', '/v1/kv/snap', 'x');
    const first = await call(leader, 'POST', '/v1/snapshot');
    expect(first).toMatchObject({ status: 200, json: { index: expect.any(Number), term: expect.any(Number) } });
    expect(await call(leader, 'POST', '/v1/snapshot')).toMatchObject({ status: 200, json: { index: null } });
    expect((await call(leader, 'GET', '/v1/snapshot')).status).toBe(405);
  });

  it('reports status with members', async () => {
    const status = await call(follower, 'GET', '/v1/status');
    expect(status.json).toMatchObject({ id: follower.id, role: 'follower', leader: leader.id, members: [1, 2, 3] });
  });

  it('answers 503 for a write on a node cut off from the cluster, which cannot know a leader', async () => {
    const isolated = cluster.members.find((m) => m.id !== leader.id && m.id !== follower.id)!;
    cluster.network.isolate(isolated.id);
    try {
      // Until its election timeout the isolated node still believes in the old leader and forwards
      // (which works: HTTP is not cut); afterwards it knows no leader and refuses definitely.
      const deadline = performance.now() + 10_000;
      let status = 0;
      while (status !== 503 && performance.now() < deadline) status = (await call(isolated, 'PUT', '/v1/kv/cut', 'x')).status;
      expect(status).toBe(503);
    } finally {
      cluster.network.heal();
    }
  });
});
