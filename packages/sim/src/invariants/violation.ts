/** The safety and liveness properties the simulator checks. */
export type Invariant =
  | 'Election Safety'
  | 'Leader Append-Only'
  | 'Log Matching'
  | 'Leader Completeness'
  | 'State Machine Safety'
  | 'Commit Bounds'
  | 'Committed Entries Are Immutable'
  | 'Read Safety'
  | 'Liveness';

/**
 * A property of Raft did not hold. `detail` names the nodes, terms and indexes involved; the
 * simulation adds the seed and step (see {@link SimulationFailure}).
 */
export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
  constructor(
    readonly invariant: Invariant,
    readonly detail: string,
  ) {
    super(`${invariant} violated: ${detail}`);
  }
}
