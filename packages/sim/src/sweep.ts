import { SimulationFailure, simulate } from './simulation.js';
import type { SimulationOptions, SimulationSummary } from './simulation.js';

/** A range of seeds and cluster sizes to run. */
export interface SweepOptions {
  /** First seed (inclusive). */
  readonly from: number;
  /** Last seed (inclusive). */
  readonly to: number;
  /** Cluster sizes; every seed runs once per size. */
  readonly sizes: readonly number[];
  readonly steps: number;
  /** Settings shared by every run (core, timeouts, fault overrides). */
  readonly settings?: Omit<SimulationOptions, 'seed' | 'nodes'>;
  /** Stop at the first failure. */
  readonly failFast?: boolean;
  /** Called after each run, passed or failed. */
  readonly onRun?: (outcome: SimulationSummary | SimulationFailure) => void;
}

/** What a sweep found. */
export interface SweepResult {
  readonly runs: number;
  readonly failures: readonly SimulationFailure[];
}

/**
 * Runs every seed in `[from, to]` on every cluster size, with the liveness check after each run.
 * Failures are collected, not thrown; anything other than a {@link SimulationFailure} (a simulator
 * bug) propagates.
 */
export function sweep(options: SweepOptions): SweepResult {
  const failures: SimulationFailure[] = [];
  let runs = 0;
  for (let seed = options.from; seed <= options.to; seed++) {
    for (const nodes of options.sizes) {
      runs++;
      try {
        const summary = simulate({ ...options.settings, seed, nodes, steps: options.steps });
        options.onRun?.(summary);
      } catch (error) {
        if (!(error instanceof SimulationFailure)) throw error;
        failures.push(error);
        options.onRun?.(error);
        if (options.failFast) return { runs, failures };
      }
    }
  }
  return { runs, failures };
}
