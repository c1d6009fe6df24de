import { describe, expect, it } from 'vitest';
import { matrix } from '../src/matrix.js';
import { parseCliOptions } from '../src/options.js';

describe('raft-conformance options', () => {
  it('reads the documented command line', () => {
    const o = parseCliOptions(['--transport', 'nats', '--storage', 'lmdb', '--nodes', '5', '--time', '60', '--nemesis', 'partition,kill,pause', '--seed', '7', '--out', '/tmp/x']);
    expect(o.run).toMatchObject({ transport: 'nats', storage: 'lmdb', nodes: 5, seconds: 60, faults: ['partition', 'kill', 'pause'], seed: 7, clients: 10 });
    expect(o.out).toBe('/tmp/x');
    expect(o.run.readMode).toBe('safe');
    expect(parseCliOptions(['--read-mode', 'lease']).run.readMode).toBe('lease');
  });

  it('takes module paths for a third party\'s transport or storage, made absolute', () => {
    const o = parseCliOptions(['--transport', './my-transport.js', '--storage', '/abs/store.js']);
    expect(o.run.transport).toBe(`${process.cwd()}/my-transport.js`);
    expect(o.run.storage).toBe('/abs/store.js');
  });

  it.each([
    [['--transport', 'udp'], /--transport must be one of zmq, nats, memory or a module path; got "udp"/],
    [['--transport', 'memory', '--nemesis', 'partition,pause'], /cannot freeze part of itself/],
    [['--transport', 'memory', '--storage', 'lmdb'], /memory or file storage only/],
    [['--nodes', '2'], /--nodes must be an integer from 3 to 9/],
    [['--nemesis', 'partition,flood'], /--nemesis must be one of partition, kill, pause, flaky, membership \(or none\); got "flood"/],
    [['--storage', 'memory'], /a killed process forgets its log and its vote/],
    [['--time', 'soon'], /--time must be an integer/],
    [['--read-mode', 'fast'], /--read-mode must be one of safe, lease; got "fast"/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliOptions(argv)).toThrow(message);
  });

  it('memory storage is fine without the kill nemesis, and with it inside one process', () => {
    expect(parseCliOptions(['--storage', 'memory', '--nemesis', 'partition,pause']).run.storage).toBe('memory');
    expect(parseCliOptions(['--transport', 'memory', '--storage', 'memory', '--nemesis', 'partition,kill']).run.faults).toEqual(['partition', 'kill']);
  });

  it('--all covers every transport with every storage it can run, leaving out the faults that cannot work', () => {
    const runs = matrix(parseCliOptions(['--all', '--nemesis', 'partition,kill,pause']).run);
    expect(runs.map((r) => `${r.transport}-${r.storage}:${r.faults.join('+')}`)).toEqual([
      'zmq-file:partition+kill+pause', 'zmq-level:partition+kill+pause', 'zmq-lmdb:partition+kill+pause', 'zmq-memory:partition+pause',
      'nats-file:partition+kill+pause', 'nats-level:partition+kill+pause', 'nats-lmdb:partition+kill+pause', 'nats-memory:partition+pause',
      'memory-file:partition+kill', 'memory-memory:partition+kill',
    ]);
    expect(matrix(parseCliOptions(['--all', '--nemesis', 'kill']).run).map((r) => `${r.transport}-${r.storage}`)).not.toContain('zmq-memory');
  });
});
