import type { RaftConfig, ReadOnlyMode } from '../config.js';
import { NONE } from '../types.js';

/** A {@link RaftConfig} with every default filled in, validated. */
export interface Settings {
  readonly id: number;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly random: () => number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly readOnly: ReadOnlyMode;
  readonly maxMessageBytes: number;
  readonly maxInflight: number;
  readonly maxApplyBytes: number;
  readonly applied: number | undefined;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`RaftConfig.${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Fills defaults and checks a config.
 * @throws RangeError naming the bad field and what it must be.
 */
export function settingsFrom(config: RaftConfig): Settings {
  const id = positiveInteger('id', config.id);
  if (id === NONE) throw new RangeError('RaftConfig.id must not be 0, which means "no node"');
  const electionTicks = positiveInteger('electionTicks', config.electionTicks);
  const heartbeatTicks = positiveInteger('heartbeatTicks', config.heartbeatTicks);
  if (electionTicks <= heartbeatTicks) {
    throw new RangeError(
      `RaftConfig.electionTicks (${electionTicks}) must exceed heartbeatTicks (${heartbeatTicks}); about 10× is typical`,
    );
  }
  if (typeof config.random !== 'function') {
    throw new TypeError('RaftConfig.random must be a function returning numbers in [0, 1), e.g. seededRandom(seed)');
  }
  const readOnly = config.readOnly ?? 'safe';
  const checkQuorum = config.checkQuorum ?? true;
  if (readOnly === 'lease' && !checkQuorum) {
    throw new RangeError("RaftConfig.readOnly 'lease' needs checkQuorum: true, or a deposed leader could serve stale reads");
  }
  if (config.applied !== undefined && (!Number.isSafeInteger(config.applied) || config.applied < 0)) {
    throw new RangeError(`RaftConfig.applied must be a non-negative integer, got ${String(config.applied)}`);
  }
  return {
    id,
    electionTicks,
    heartbeatTicks,
    random: config.random,
    preVote: config.preVote ?? true,
    checkQuorum,
    readOnly,
    maxMessageBytes: positiveInteger('maxMessageBytes', config.maxMessageBytes ?? 1024 * 1024),
    maxInflight: positiveInteger('maxInflight', config.maxInflight ?? 256),
    maxApplyBytes: positiveInteger('maxApplyBytes', config.maxApplyBytes ?? 64 * 1024 * 1024),
    applied: config.applied,
  };
}
