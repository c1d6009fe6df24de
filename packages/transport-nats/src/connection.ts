import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';

/** Tells an open connection from connection options. */
export function isNatsConnection(value: NodeConnectionOptions | NatsConnection): value is NatsConnection {
  return typeof (value as Partial<NatsConnection>).publish === 'function';
}

/**
 * Connects with `options`, turning a failure into an error that says where it tried and what to
 * check. Unless the options say otherwise the client never stops reconnecting: a Raft node lives
 * longer than any one NATS outage, and the client's default (give up after 10 attempts per server)
 * would silently cut it off for good.
 */
export async function openConnection(options: NodeConnectionOptions): Promise<NatsConnection> {
  try {
    return await connect({ maxReconnectAttempts: -1, ...options });
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
