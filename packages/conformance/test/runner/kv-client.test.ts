import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KvClient } from '../../src/workload/kv-client.js';

// A real HTTP server answering each path with a scripted status, to pin down how every answer
// of the KV API is classified.
let server: Server;
let base: string;
const requests: { method: string; url: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, body });
      const status = Number(/\/v1\/kv\/s([0-9]{3})/.exec(req.url!)?.[1] ?? 200);
      if (status === 999) return; // never answers
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 && req.method === 'GET' ? '42' : '{}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

describe('KvClient outcome classification', () => {
  // Generous for answers (a loaded CI machine), short for the path that never answers.
  const client = () => new KvClient(base, { timeoutMs: 10_000 });
  const impatient = () => new KvClient(base, { timeoutMs: 200 });

  it('reads: 200 is ok with the value (integers as numbers), 404 ok with null, anything else fail', async () => {
    expect(await client().read('s200')).toEqual({ type: 'ok', value: 42 });
    expect(await client().read('s404')).toEqual({ type: 'ok', value: null });
    expect((await client().read('s503')).type).toBe('fail');
    expect((await client().read('s504')).type).toBe('fail');
    expect((await impatient().read('s999')).type).toBe('fail');
  });

  it('writes: 200 ok; 503 and 4xx fail (definitely not applied); 504, 500 and timeouts info', async () => {
    expect((await client().write('s200', 7)).type).toBe('ok');
    expect((await client().write('s503', 7)).type).toBe('fail');
    expect((await client().write('s413', 7)).type).toBe('fail');
    expect((await client().write('s504', 7)).type).toBe('info');
    expect((await client().write('s500', 7)).type).toBe('info');
    expect((await impatient().write('s999', 7)).type).toBe('info');
    expect(requests.find((r) => r.url === '/v1/kv/s200' && r.method === 'PUT')?.body).toBe('7');
  });

  it('cas: 409 is a definite fail, the body says expect and value as strings (null for absent)', async () => {
    expect((await client().cas('s409', 1, 2)).type).toBe('fail');
    expect((await client().cas('s200', null, 3)).type).toBe('ok');
    expect(JSON.parse(requests.find((r) => r.url === '/v1/kv/s200/cas')!.body)).toEqual({ expect: null, value: '3' });
    expect((await client().cas('s504', 1, 2)).type).toBe('info');
  });

  it('a refused connection is a definite fail for a write: the request never left', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const outcome = await new KvClient(`http://127.0.0.1:${port}`, { timeoutMs: 10_000 }).write('k', 1);
    expect(outcome).toMatchObject({ type: 'fail', reason: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('stale reads ask for ?consistency=stale', async () => {
    await new KvClient(base, { timeoutMs: 10_000, staleReads: true }).read('s200');
    expect(requests.at(-1)!.url).toBe('/v1/kv/s200?consistency=stale');
  });
});
