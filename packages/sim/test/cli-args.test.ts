import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli-args.js';

describe('parseCli', () => {
  it('defaults to replaying seed 1 on 5 nodes for 2000 steps', () => {
    expect(parseCli([])).toMatchObject({ from: 1, to: 1, sizes: [5], steps: 2000, trace: false, core: undefined });
  });

  it('reads a sweep over seeds and sizes, ignoring the -- pnpm may pass along', () => {
    expect(parseCli(['--', '--seeds', '3..9', '--nodes', '3,5,7', '--steps', '100', '--fail-fast'])).toMatchObject({
      from: 3, to: 9, sizes: [3, 5, 7], steps: 100, failFast: true,
    });
  });

  it('explains what is wrong with a bad command line', () => {
    expect(() => parseCli(['--seeds', '9..3'])).toThrow('--seeds 9..3 is empty: the first seed must not exceed the last');
    expect(() => parseCli(['--seeds', '1-3'])).toThrow('--seeds takes a range A..B such as 1..500, got "1-3"');
    expect(() => parseCli(['--seed', '1', '--seeds', '1..2'])).toThrow('give either --seed or --seeds, not both');
    expect(() => parseCli(['--nodes', '0'])).toThrow('--nodes takes an integer ≥ 1, got "0"');
    expect(() => parseCli(['--heartbeat-ticks', '10'])).toThrow('--heartbeat-ticks (10) must be below --election-ticks (10)');
  });
});
