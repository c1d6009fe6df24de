import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The node's Prometheus metrics. Gauges are set from status changes; counters and histograms are
 * fed by the service as requests complete.
 */
export class KvMetrics {
  readonly registry = new Registry();
  readonly term = new Gauge({ name: 'raft_term', help: 'Current Raft term', registers: [this.registry] });
  readonly isLeader = new Gauge({ name: 'raft_is_leader', help: '1 when this node is the leader, else 0', registers: [this.registry] });
  readonly role = new Gauge({ name: 'raft_role', help: 'Current role (1 for the active role label)', labelNames: ['role'], registers: [this.registry] });
  readonly leader = new Gauge({ name: 'raft_leader_id', help: 'Id of the node this node believes leads (0: none)', registers: [this.registry] });
  readonly leaderChanges = new Counter({ name: 'raft_leader_changes_total', help: 'Times the known leader changed', registers: [this.registry] });
  readonly commitIndex = new Gauge({ name: 'raft_commit_index', help: 'Highest log index known committed', registers: [this.registry] });
  readonly appliedIndex = new Gauge({ name: 'raft_applied_index', help: 'Highest log index applied to the KV store', registers: [this.registry] });
  readonly proposals = new Counter({
    name: 'raft_proposals_total',
    help: 'Write proposals by outcome (ok, unavailable, unknown)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly commitLatency = new Histogram({
    name: 'raft_commit_latency_seconds',
    help: 'Time from proposal to applied result on the leader',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly fsyncDuration = new Histogram({
    name: 'raft_storage_save_seconds',
    help: 'Duration of durable storage writes (one fsync per batch)',
    buckets: [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Records a status snapshot; counts a leader change when the known leader differs. */
  observeStatus(status: { role: string; term: number; leader: number; commitIndex: number; appliedIndex: number }): void {
    this.term.set(status.term);
    this.role.reset();
    this.role.labels(status.role).set(1);
    this.isLeader.set(status.role === 'leader' ? 1 : 0);
    if (status.leader !== this.lastLeader) {
      if (this.lastLeader !== undefined) this.leaderChanges.inc();
      this.lastLeader = status.leader;
    }
    this.leader.set(status.leader);
    this.commitIndex.set(status.commitIndex);
    this.appliedIndex.set(status.appliedIndex);
  }

  /** The exposition text for `GET /metrics`. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  private lastLeader: number | undefined;
}
