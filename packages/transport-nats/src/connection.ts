import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';

/** Tells an open connection from connection options. */
export function isNatsConnection(value: NodeConnectionOptions | NatsConnection): value is NatsConnection {
  return typeof (value as Partial<NatsConnection>).publish === 'function';
}

/**
 * Where the transport's connection defaults differ from the client's, and why. A Raft node lives
 * longer than any one NATS outage, and elections time out in about a second, so the client must
 * never stop reconnecting (its default gives up after 10 attempts per server and would silently
 * cut the node off for good) and must leave a server that hangs in seconds, not minutes (its
 * defaults notice a dead server after two unanswered pings two minutes apart, and give each
 * connection attempt 20 s — and its first reconnect attempt goes to the same server).
 */
export const CONNECTION_DEFAULTS = {
  maxReconnectAttempts: -1,
  pingInterval: 5_000,
  maxPingOut: 2,
  timeout: 5_000,
} as const satisfies NodeConnectionOptions;

/**
 * Connects with `options` over {@link CONNECTION_DEFAULTS}, turning a failure into an error that
 * says where it tried and what to check.
 */
export async function openConnection(options: NodeConnectionOptions): Promise<NatsConnection> {
  try {
    return await connect({ ...CONNECTION_DEFAULTS, ...options });
  } catch (error) {
    const servers = [options.servers ?? '127.0.0.1:4222'].flat().join(', ');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `could not connect to NATS at ${servers}: ${reason}; check that nats-server is running there and that the servers, credentials and TLS options match it`,
      { cause: error },
    );
  }
}

/**
 * Follows a connection's status and keeps `connected` current, so `send` can drop at once while
 * the client is between servers instead of buffering into a connection that is not there.
 */
export class ConnectionWatch {
  #connected: boolean;
  readonly #statuses: AsyncIterable<{ type: string; server?: string }>;

  constructor(
    connection: NatsConnection,
    private readonly report: (event: string) => void,
  ) {
    this.#connected = !connection.isClosed();
    this.#statuses = connection.status();
    void this.follow();
  }

  /** Whether the client is connected to a server right now. */
  get connected(): boolean {
    return this.#connected;
  }

  /** Stops following (the connection itself is not touched). */
  stop(): void {
    this.#connected = false;
    // The status iterable is a QueuedIterator whose stop() ends it at once; a `break` in the loop
    // would only take effect at the next status, leaving a listener on a shared connection.
    (this.#statuses as { stop?: () => void }).stop?.();
  }

  private async follow(): Promise<void> {
    for await (const status of this.#statuses) {
      if (status.type === 'disconnect') {
        this.#connected = false;
        this.report(`disconnected from NATS server ${status.server ?? ''}; sends are dropped until the client reconnects`);
      } else if (status.type === 'reconnect') {
        this.#connected = true;
        this.report(`reconnected to NATS server ${status.server ?? ''}`);
      } else if (status.type === 'close') {
        this.#connected = false;
      }
    }
  }
}
