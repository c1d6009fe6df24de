import { NatsServer, type NatsServerOptions } from './nats-server.js';
import { routedServerIds } from './probes.js';
import { waitUntil } from './wait-until.js';

/** How to start a cluster of nats-servers. */
export interface NatsClusterOptions extends Pick<NatsServerOptions, 'maxPayload' | 'extraConfig' | 'startTimeoutMs'> {
  /** Number of servers. Default 3. */
  readonly size?: number;
  /** NATS cluster name. Default `raft-test`. */
  readonly clusterName?: string;
  /** How long to wait for the routes between servers to come up. Default 10 s. */
  readonly routeTimeoutMs?: number;
}

/**
 * A cluster of nats-servers on loopback, fully routed to each other, for failover tests.
 */
export class NatsCluster {
  private constructor(
    /** The servers, in start order; names are `n1`, `n2`, … */
    readonly servers: readonly NatsServer[],
    private readonly routeTimeoutMs: number,
  ) {}

  /**
   * Starts `size` servers and resolves once every server accepts clients and has a route to every
   * other server (so a message published on one reaches subscribers on any other).
   */
  static async start(options: NatsClusterOptions = {}): Promise<NatsCluster> {
    const size = options.size ?? 3;
    const clusterName = options.clusterName ?? 'raft-test';
    const servers: NatsServer[] = [];
    const cluster = new NatsCluster(servers, options.routeTimeoutMs ?? 10_000);
    try {
      // Each server routes to the ones started before it; nats-server gossips the rest, so the
      // mesh becomes complete without knowing every port up front.
      for (let index = 0; index < size; index++) {
        const routes = servers.map((server) => server.ports.cluster ?? 0);
        servers.push(await NatsServer.start({ ...options, name: `n${index + 1}`, clusterName, routes }));
      }
      await cluster.waitForFullMesh();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** Client URLs of all servers: the `servers` list a client should be given. */
  get urls(): string[] {
    return this.servers.map((server) => server.url);
  }

  /** The server at `index` (0-based). */
  server(index: number): NatsServer {
    const server = this.servers[index];
    if (server === undefined) throw new Error(`no server ${index} in a cluster of ${this.servers.length}`);
    return server;
  }

  /** The server whose client port is `port` (e.g. from a connection's `getServer()`). */
  serverOnPort(port: number): NatsServer {
    const server = this.servers.find((candidate) => candidate.ports.client === port);
    if (server === undefined) throw new Error(`no server of this cluster listens for clients on port ${port}`);
    return server;
  }

  /**
   * Restarts a killed server on its old ports, routing to every other server, and waits until
   * the mesh is complete again.
   */
  async restart(index: number): Promise<void> {
    const server = this.server(index);
    server.setRoutes(this.servers.filter((other) => other !== server).map((other) => other.ports.cluster ?? 0));
    await server.restart();
    await this.waitForFullMesh();
  }

  /**
   * Resolves once each running server has a route to every other running server.
   */
  async waitForFullMesh(): Promise<void> {
    const running = this.servers.filter((server) => server.running);
    for (const server of running) {
      await waitUntil(
        `nats-server ${server.name} to route to ${running.length - 1} other servers`,
        async () => ((await routedServerIds(server.ports.monitoring)).size >= running.length - 1 ? true : undefined),
        { timeoutMs: this.routeTimeoutMs },
      );
    }
  }

  /** Stops every server. */
  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop()));
  }
}
