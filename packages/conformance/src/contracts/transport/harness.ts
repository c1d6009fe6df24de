import type { Message, NodeId, Transport } from '@raft/core';
import type { ResolvedTransportSuiteOptions, TransportContractFactory, TransportTestCluster } from './factory.js';
import { activeResources } from './resources.js';
import { waitUntil } from './wait.js';

/** A started transport and the messages it has delivered so far, in arrival order. */
export interface StartedNode {
  readonly id: NodeId;
  readonly transport: Transport;
  readonly inbox: Message[];
}

/**
 * Owns the clusters and transports of one test, so every test starts clean and a failing test
 * never leaks a socket or a subscription into the next one.
 */
export class TransportHarness {
  private readonly clusters: TransportTestCluster[] = [];
  private readonly open = new Set<Transport>();
  private disposed = false;

  private constructor(
    private readonly factory: TransportContractFactory,
    readonly options: ResolvedTransportSuiteOptions,
    /** The active handles of the process before the first cluster was created. */
    readonly resourcesBefore: ReadonlyMap<string, number>,
  ) {}

  static async create(
    factory: TransportContractFactory,
    options: ResolvedTransportSuiteOptions,
    ids: readonly NodeId[],
    clusterId: string,
  ): Promise<{ harness: TransportHarness; cluster: TransportTestCluster }> {
    const harness = new TransportHarness(factory, options, activeResources());
    return { harness, cluster: await harness.cluster(ids, clusterId) };
  }

  /** Builds another cluster, disposed with this harness. */
  async cluster(ids: readonly NodeId[], clusterId: string): Promise<TransportTestCluster> {
    const cluster = await this.factory.create(ids, clusterId);
    this.clusters.push(cluster);
    return cluster;
  }

  /** Opens `id` in `cluster` and starts it with a handler that records every delivery. */
  async start(cluster: TransportTestCluster, id: NodeId): Promise<StartedNode> {
    const transport = cluster.open(id);
    this.open.add(transport);
    const inbox: Message[] = [];
    await transport.start((message) => inbox.push(message));
    return { id, transport, inbox };
  }

  /** Closes a transport the suite started. */
  async close(node: StartedNode): Promise<void> {
    this.open.delete(node.transport);
    await node.transport.close();
  }

  /** Waits for `condition` within the suite's deadline; `describe` explains a timeout. */
  waitFor(condition: () => boolean, describe: () => string): Promise<void> {
    return waitUntil(condition, this.options.timeoutMs, describe);
  }

  /**
   * Sends `make()` from `from` again and again until `to` has received a message for which
   * `received` holds. Needed wherever a link may still be (re)connecting: a transport may drop
   * what it is given before then, which the contract allows.
   */
  async sendUntilDelivered(
    from: StartedNode,
    to: StartedNode,
    make: () => Message,
    received: (message: Message) => boolean,
  ): Promise<void> {
    await this.waitFor(
      () => {
        from.transport.send(make());
        return to.inbox.some(received);
      },
      () => `no message from node ${from.id} reached node ${to.id} (${to.inbox.length} other messages arrived)`,
    );
  }

  /** Closes every transport still open, then disposes every cluster. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const transport of this.open) await transport.close().catch((e: unknown) => errors.push(e));
    this.open.clear();
    for (const cluster of this.clusters.splice(0)) await cluster.dispose().catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw new AggregateError(errors, 'closing the transports at the end of a test failed');
  }
}
