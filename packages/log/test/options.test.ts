import { describe, expect, it } from 'vitest';
import { RaftOptionsError } from '../src/errors.js';
import { resolveOptions, type RaftNodeOptions } from '../src/options.js';

const adapters = {
  transport: { start: async () => {}, send: () => true, close: async () => {} },
  storage: { load: async () => undefined, save: async () => {}, close: async () => {} },
  stateMachine: { apply: () => undefined },
} as unknown as Pick<RaftNodeOptions, 'transport' | 'storage' | 'stateMachine'>;

const base: RaftNodeOptions = { id: 1, peers: [2, 3], ...adapters };

function rejection(options: Partial<RaftNodeOptions> | Record<string, unknown>): RaftOptionsError {
  try {
    resolveOptions({ ...base, ...options } as RaftNodeOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(RaftOptionsError);
    return error as RaftOptionsError;
  }
  throw new Error('expected the options to be rejected');
}

describe('resolveOptions', () => {
  it('fills in the documented defaults and the voter set including this node', () => {
    const resolved = resolveOptions({ ...base, peers: [3, 1, 2] });
    expect(resolved).toMatchObject({
      voters: [1, 2, 3],
      tickMs: 50,
      electionTicks: 10,
      heartbeatTicks: 1,
      preVote: true,
      checkQuorum: true,
      readOnly: 'safe',
      proposalTimeoutMs: 5000,
      snapshotChunkBytes: 1024 * 1024,
    });
    expect(Number.isSafeInteger(resolved.seed)).toBe(true);
  });

  it.each([
    [{ id: 0 }, 'id', 'positive integer'],
    [{ peers: [2, -1] }, 'peers[1]', 'positive integer'],
    [{ peers: '2,3' }, 'peers', 'array'],
    [{ tickMs: 0 }, 'tickMs', 'positive number'],
    [{ electionTicks: 1, heartbeatTicks: 1 }, 'electionTicks', 'heartbeatTicks'],
    [{ readOnly: 'fast' }, 'readOnly', "'safe' or 'lease'"],
    [{ readOnly: 'lease', checkQuorum: false }, 'readOnly', 'checkQuorum'],
    [{ transport: {} }, 'transport', 'start()'],
    [{ stateMachine: null }, 'stateMachine', 'null'],
    [{ maxUncommittedEntries: 1.5 }, 'maxUncommittedEntries', 'positive integer'],
    [{ seed: 0.5 }, 'seed', 'integer'],
    [{ snapshotChunkBytes: 0 }, 'snapshotChunkBytes', 'positive integer'],
  ])('rejects %j naming %s', (options, option, hint) => {
    const error = rejection(options);
    expect(error.option).toBe(option);
    expect(error.message).toContain(hint);
  });
});
