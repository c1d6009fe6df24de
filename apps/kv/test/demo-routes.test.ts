import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Message, MessageHandler, Transport } from '@raft/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRoutes } from '../src/node/demo-routes.js';
import { FaultSwitch } from '../src/node/fault-switch.js';
import { RecentLog } from '../src/node/recent-log.js';

const inert: Transport = { start: async (_: MessageHandler) => {}, send: (_: Message) => true, close: async () => {} };
const faults = new FaultSwitch(inert);
let server: Server;
let base: string;

beforeAll(async () => {
  const route = demoRoutes(faults, new RecentLog(10));
  server = createServer((req, res) => {
    void route(req, res, new URL(req.url!, 'http://x')).then((handled) => handled || res.writeHead(404).end());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((done) => server.close(done)));

const post = async (body: string) => {
  const reply = await fetch(`${base}/v1/demo/network`, { method: 'POST', body });
  return { status: reply.status, json: (await reply.json()) as Record<string, unknown> };
};

describe('POST /v1/demo/network', () => {
  it('sets cuts, loss, duplication and delay, and {} heals', async () => {
    const set = await post(JSON.stringify({ blocked: [2, 3], drop: 0.2, duplicate: 0.1, delayMs: 50 }));
    expect(set).toEqual({ status: 200, json: { blocked: [2, 3], drop: 0.2, duplicate: 0.1, delayMs: 50 } });
    expect(faults.state).toEqual({ blocked: [2, 3], drop: 0.2, duplicate: 0.1, delayMs: 50 });
    expect((await post('{}')).json).toEqual({});
    expect(faults.state).toEqual({});
  });

  it.each([
    ['not json', /body must be JSON/],
    ['[1]', /must be a JSON object/],
    ['{"isolated": "yes"}', /"isolated" must be true or false/],
    ['{"blocked": [0]}', /"blocked" must be an array of node ids/],
    ['{"drop": 1.5}', /"drop" must be a probability from 0 to 1/],
    ['{"duplicate": -0.1}', /"duplicate" must be a probability/],
    ['{"delayMs": 600000}', /"delayMs" must be a number of milliseconds from 0 to 60000/],
    ['{"loss": 0.1}', /unknown field "loss"/],
  ])('refuses %s with 400 and a reason, changing nothing', async (body, reason) => {
    await post(JSON.stringify({ blocked: [4] }));
    const refused = await post(body);
    expect(refused.status).toBe(400);
    expect(String(refused.json.detail)).toMatch(reason);
    expect(faults.state).toEqual({ blocked: [4] });
  });
});
