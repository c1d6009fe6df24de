import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  findNatsServerBinary,
  NatsCluster,
  NatsServer,
  runningNatsServerCount,
  WaitAborted,
  waitUntil,
} from '../src/testing/index.js';

const started: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(started.map((handle) => handle.stop()));
});

/** Publishes on `url` and resolves with what a subscriber on `subscriberUrl` received. */
async function roundTrip(publisherUrl: string, subscriberUrl: string): Promise<string> {
  const subscriber = await connect({ servers: subscriberUrl });
  const publisher = await connect({ servers: publisherUrl });
  try {
    const received = new Promise<string>((resolve) => {
      subscriber.subscribe('harness.ping', { callback: (_error, msg) => resolve(msg.string()) });
    });
    await subscriber.flush();
    // Interest crosses a route asynchronously: keep publishing until the subscriber hears one.
    let delivered: string | undefined;
    void received.then((text) => (delivered = text));
    return await waitUntil('a message to cross the route', () => {
      publisher.publish('harness.ping', 'hello');
      return delivered;
    }, { timeoutMs: 5_000 });
  } finally {
    await publisher.close();
    await subscriber.close();
  }
}

describe('nats-server harness', () => {
  it('finds the binary, and names the install command when it is missing', () => {
    expect(findNatsServerBinary()).toMatch(/nats-server$/);
    expect(() => findNatsServerBinary({ PATH: '/nonexistent' }, [])).toThrow(/apt-get install -y nats-server/);
    expect(() => findNatsServerBinary({ NATS_SERVER_BIN: '/nonexistent/nats-server' })).toThrow(/NATS_SERVER_BIN/);
  });

  it('starts a server that accepts clients and honours max_payload', async () => {
    const server = await NatsServer.start({ maxPayload: 4096 });
    started.push(server);
    const nc = await connect({ servers: server.url });
    expect(nc.info?.max_payload).toBe(4096);
    await nc.close();
  });

  it('kills a server and restarts it on the same ports', async () => {
    const server = await NatsServer.start();
    started.push(server);
    const ports = server.ports;
    await server.kill();
    expect(server.running).toBe(false);
    await server.restart();
    expect(server.ports).toEqual(ports);
    await expect(roundTrip(server.url, server.url)).resolves.toBe('hello');
  });

  it('starts a routed three-server cluster that survives a killed server', async () => {
    const cluster = await NatsCluster.start();
    started.push(cluster);
    expect(cluster.urls).toHaveLength(3);
    await expect(roundTrip(cluster.server(0).url, cluster.server(2).url)).resolves.toBe('hello');
    await cluster.server(1).kill();
    await expect(roundTrip(cluster.server(2).url, cluster.server(0).url)).resolves.toBe('hello');
    await cluster.restart(1);
    await expect(roundTrip(cluster.server(1).url, cluster.server(2).url)).resolves.toBe('hello');
  });

  it('reports a server that cannot start at once, with the end of its log', async () => {
    const failure = NatsServer.start({ extraConfig: 'max_payload: "not a number"' });
    // WaitAborted, not a timeout: the harness gives up as soon as the process is gone.
    await expect(failure).rejects.toBeInstanceOf(WaitAborted);
    await expect(failure).rejects.toThrow(/exited at start; its log ends/);
  });

  it('leaves no server running once stopped', async () => {
    await Promise.all(started.splice(0).map((handle) => handle.stop()));
    expect(runningNatsServerCount()).toBe(0);
  });
});
