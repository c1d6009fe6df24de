/**
 * The transport contract suite: every {@link Transport} adapter, ours or a user's, runs the same
 * cases from its own vitest file.
 *
 * What it checks, beyond "messages arrive": every field survives the trip (binary entry data,
 * snapshots, context, integers up to 2^53 - 1); a large message (4 MiB by default) arrives intact,
 * and one over a declared limit is refused with `false`; a burst of small messages arrives
 * uncorrupted and without duplicates; delivered messages are never changed afterwards (a reused
 * receive buffer would show); unknown peers and closed transports get `false`, never an exception;
 * `close` is idempotent and, with `dispose`, releases every handle the process had not before;
 * sending to a dead peer neither throws nor retains memory; a restarted peer or sender is reached
 * again; clusters with different ids stay apart.
 *
 * Messages a node addresses to itself are outside the contract (core handles those locally): the
 * suite only checks that sending one does not throw.
 *
 * Conditions are awaited with a deadline (`timeoutMs`), never with fixed sleeps, and where a link
 * may still be connecting the suite resends until delivery, as Raft itself would.
 *
 * @example
 * ```ts
 * // test/contract.test.ts of an adapter
 * import { transportContractSuite } from '@raft/conformance/transport-suite';
 * import { MyTransport } from '../src/index.js';
 *
 * transportContractSuite('my-transport', {
 *   async create(ids, clusterId) {
 *     const peers = await allocateAddresses(ids);
 *     return {
 *       open: (id) => new MyTransport({ id, clusterId, peers }),
 *       dispose: async () => {},
 *     };
 *   },
 * }, { overLimitBytes: 64 * 1024 * 1024 });
 * ```
 *
 * @module
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { NodeId, Transport } from '@raft/core';
import { CLUSTER_ID, IDS, type CaseContext } from './transport/context.js';
import { deliveryCases } from './transport/delivery-cases.js';
import { resolveOptions, type TransportContractFactory, type TransportSuiteOptions } from './transport/factory.js';
import { failureCases } from './transport/failure-cases.js';
import { TransportHarness } from './transport/harness.js';

export type { TransportContractFactory, TransportSuiteOptions, TransportTestCluster } from './transport/factory.js';

/**
 * Registers the transport contract cases (vitest `describe`/`it`) for an adapter. Each case gets a
 * fresh cluster of nodes 1, 2 and 3 from `factory` and closes and disposes everything it opened.
 *
 * @param name - shown in the test report.
 * @param factory - builds the clusters of transports under test.
 * @param options - what the adapter declares about itself (size limit, duplicates) and deadlines.
 */
export function transportContractSuite(
  name: string,
  factory: TransportContractFactory,
  options?: TransportSuiteOptions,
): void {
  const resolved = resolveOptions(options);
  describe(`${name} — Transport contract`, () => {
    let current: CaseContext | undefined;
    const context = (): CaseContext => {
      if (!current) throw new Error('the transport suite context is used outside a test');
      return current;
    };
    beforeEach(async () => {
      current = await TransportHarness.create(factory, resolved, IDS, CLUSTER_ID);
    });
    afterEach(async () => {
      await current?.harness.dispose();
      current = undefined;
    });

    describe('delivery on healthy links', () => deliveryCases(context, resolved));
    describe('unknown and dead peers, closing, restarts, other clusters', () => failureCases(context, resolved));
  });
}

/** Re-exported so adapter authors can type their factory without importing `@raft/core` too. */
export type { NodeId, Transport };
