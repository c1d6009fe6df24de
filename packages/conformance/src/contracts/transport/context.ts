import type { NodeId } from '@raft/core';
import type { TransportTestCluster } from './factory.js';
import type { TransportHarness } from './harness.js';

/** The nodes every case's cluster has. */
export const IDS: readonly NodeId[] = [1, 2, 3];
/** The cluster id of every case's cluster. */
export const CLUSTER_ID = 'transport-contract';

/** What each case gets: its own harness and a fresh cluster of {@link IDS}, nothing started. */
export interface CaseContext {
  readonly harness: TransportHarness;
  readonly cluster: TransportTestCluster;
}
