import { RawNode } from '@raft/core';
import { SimCluster } from './cluster.js';
import type { RaftNodeConstructor } from './core-api.js';
import type { SimEvent } from './events.js';
import { drawFaultProfile } from './fault-profile.js';
import type { FaultProfile } from './fault-profile.js';
import { checkLiveness, livenessBoundTicks } from './liveness.js';
import type { LivenessResult } from './liveness.js';
import { SimRandom, deriveSeed } from './prng.js';
import { Scheduler } from './scheduler.js';

/** How to build a {@link Simulation}. Only `seed` and `nodes` are required. */
export interface SimulationOptions {
  /** The one seed every random choice of the run derives from. */
  readonly seed: number;
  /** Cluster size. */
  readonly nodes: number;
  /** The RawNode implementation to drive. Default: `RawNode` from `@raft/core`. */
  readonly core?: RaftNodeConstructor;
  /** Election timeout base T, in ticks. Default 10. */
  readonly electionTicks?: number;
  /** Heartbeat interval, in ticks. Default 2. */
  readonly heartbeatTicks?: number;
  /** Overrides of the fault profile drawn from the seed. */
  readonly faults?: Partial<FaultProfile>;
  /** Receives what happens in the cluster (elections, commits, faults). */
  readonly onEvent?: (event: SimEvent) => void;
  /** Also report per-message events (ticks, sends, deliveries, losses) to `onEvent`. */
  readonly detail?: boolean;
}

/** What a run did, for reports and sanity checks of the simulator itself. */
export interface SimulationSummary {
  readonly seed: number;
  readonly nodes: number;
  readonly steps: number;
  readonly ticks: number;
  /** Terms in which a leader was seen. */
  readonly leaders: number;
  /** Highest index applied by any node. */
  readonly committed: number;
  readonly proposals: number;
  readonly crashes: number;
  readonly partitions: number;
  /** Membership changes asked for (accepted or refused). */
  readonly membershipChanges: number;
  /** Snapshots taken with the log compacted behind them. */
  readonly compactions: number;
  /** Recovery figures once faults healed, when {@link Simulation.checkLiveness} ran. */
  readonly liveness: LivenessResult | undefined;
}

/**
 * A run failed: an invariant was violated or the core threw. Carries what it takes to replay it:
 * `pnpm sim --seed <seed> --nodes <nodes> --steps <step> --trace`.
 */
export class SimulationFailure extends Error {
  override readonly name = 'SimulationFailure';
  constructor(
    readonly seed: number,
    readonly nodes: number,
    readonly step: number,
    override readonly cause: unknown,
  ) {
    super(`seed ${seed}, ${nodes} nodes, step ${step}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

const SCHEDULER_STREAM = 0;

/**
 * A deterministic simulated Raft cluster. The seed fixes the fault profile, the schedule of
 * actions, the network's behaviour and every node's randomness, so a run can be replayed exactly.
 *
 * @example
 * ```ts
 * const sim = new Simulation({ seed: 7, nodes: 5 });
 * sim.run(2_000);          // throws SimulationFailure on a violated invariant
 * sim.checkLiveness();     // heal all faults; a leader and a commit must follow in bounded time
 * ```
 */
export class Simulation {
  /** The cluster, for callers that drive or inspect it directly. */
  readonly cluster: SimCluster;
  readonly profile: FaultProfile;
  /** The liveness bound in ticks (see {@link livenessBoundTicks}). */
  readonly livenessBound: number;
  private readonly scheduler: Scheduler;
  private liveness: LivenessResult | undefined;

  constructor(private readonly options: SimulationOptions) {
    if (!Number.isInteger(options.nodes) || options.nodes < 1) {
      throw new RangeError(`nodes must be a positive integer, got ${options.nodes}`);
    }
    const random = new SimRandom(deriveSeed(options.seed, SCHEDULER_STREAM));
    this.profile = { ...drawFaultProfile(random), ...options.faults };
    const electionTicks = options.electionTicks ?? 10;
    this.livenessBound = livenessBoundTicks(electionTicks);
    this.scheduler = new Scheduler(this.profile, random);
    this.cluster = this.guard(
      () =>
        new SimCluster({
          seed: options.seed,
          size: options.nodes,
          core: options.core ?? RawNode,
          electionTicks,
          heartbeatTicks: options.heartbeatTicks ?? 2,
          profile: this.profile,
          onEvent: options.onEvent,
          detail: options.detail ?? false,
        }),
    );
  }

  /** Steps taken so far (the liveness check's actions count too). */
  get steps(): number {
    return this.cluster?.step ?? 0;
  }

  /** Performs `count` scheduler steps, checking every invariant after each. @throws SimulationFailure */
  run(count: number): this {
    for (let i = 0; i < count; i++) {
      this.guard(() => {
        this.cluster.step++;
        this.scheduler.step(this.cluster);
      });
    }
    return this;
  }

  /**
   * Heals every fault and requires a leader and a committed proposal within
   * {@link Simulation.livenessBound} ticks. @throws SimulationFailure
   */
  checkLiveness(): LivenessResult {
    this.liveness = this.guard(() =>
      checkLiveness(this.cluster, this.livenessBound, `probe-${this.options.seed}`, () => this.cluster.step++),
    );
    return this.liveness;
  }

  /** What the run did so far. */
  summary(): SimulationSummary {
    const { cluster } = this;
    return {
      seed: this.options.seed,
      nodes: this.options.nodes,
      steps: cluster.step,
      ticks: cluster.ticks,
      leaders: cluster.invariants.electionSafety.termsWithLeader,
      committed: cluster.invariants.stateMachineSafety.maxApplied,
      proposals: cluster.proposals,
      crashes: cluster.crashes,
      partitions: cluster.partitions,
      membershipChanges: cluster.membershipChanges,
      compactions: cluster.compactions,
      liveness: this.liveness,
    };
  }

  private guard<T>(action: () => T): T {
    try {
      return action();
    } catch (error) {
      if (error instanceof SimulationFailure) throw error;
      throw new SimulationFailure(this.options.seed, this.options.nodes, this.steps, error);
    }
  }
}

/** Runs one seed for `steps` steps, then the liveness check. @throws SimulationFailure */
export function simulate(options: SimulationOptions & { readonly steps: number }): SimulationSummary {
  const simulation = new Simulation(options);
  simulation.run(options.steps);
  simulation.checkLiveness();
  return simulation.summary();
}
