import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/config-error.js';
import { parseKvOptions } from '../src/config/options.js';

function clusterFile(json: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'raft-kv-options-')), 'cluster.json');
  writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
  return path;
}

describe('raft-kv options', () => {
  it('accepts the classic tutorial command line with conventional addresses', () => {
    const o = parseKvOptions(['--id', '1', '--peers', '2,3,4,5', '--transport', 'nats']);
    expect(o).toMatchObject({ id: 1, peers: [2, 3, 4, 5], transport: 'nats', storage: 'file', listen: { host: '127.0.0.1', port: 8001 } });
    expect(o.members.get(3)).toEqual({ raft: 'tcp://127.0.0.1:9003', http: 'http://127.0.0.1:8003' });
    expect(o.demo).toBe(false);
  });

  it('takes a path as --transport or --storage: a third party\'s adapter module, resolved to an absolute path', () => {
    const o = parseKvOptions(['--id', '1', '--peers', '2', '--transport', './my-transport.js', '--storage', '/opt/adapters/store.js']);
    expect(o.transport).toEqual({ module: join(process.cwd(), 'my-transport.js') });
    expect(o.storage).toEqual({ module: '/opt/adapters/store.js' });
  });

  it('reads member addresses from a cluster file', () => {
    const path = clusterFile({ members: { '1': { raft: 'tcp://127.0.0.1:7001', http: 'http://127.0.0.1:7101' }, '2': { raft: 'tcp://127.0.0.1:7002', http: 'http://127.0.0.1:7102' } } });
    const o = parseKvOptions(['--id', '2', '--peers', '1', '--cluster', path]);
    expect(o.listen).toEqual({ host: '127.0.0.1', port: 7102 });
    expect(o.members.get(1)?.raft).toBe('tcp://127.0.0.1:7001');
  });

  it.each([
    [[], /--id is required/],
    [['--id', '1'], /--peers is required/],
    [['--id', 'one', '--peers', '2'], /--id must be a positive integer, got "one"/],
    [['--id', '0', '--peers', '2'], /--id must be a positive integer/],
    [['--id', '1', '--peers', '1,2'], /own id 1/],
    [['--id', '1', '--peers', '2,2'], /an id twice/],
    [['--id', '1', '--peers', '2', '--transport', 'udp'], /--transport must be one of zmq, nats, memory; got "udp"/],
    [['--id', '1', '--peers', '2', '--storage', 'disk'], /--storage must be one of/],
    [['--id', '1', '--peers', '2', '--heartbeat-ticks', '10', '--election-ticks', '10'], /must be smaller than --election-ticks/],
    [['--id', '1', '--peers', '2', '--listen', 'localhost'], /host:port/],
    [['--id', '1', '--peers', '2', '--bogus'], /Unknown option '--bogus'.*--help/],
  ])('rejects %j precisely', (argv, message) => {
    expect(() => parseKvOptions(argv)).toThrow(ConfigError);
    expect(() => parseKvOptions(argv)).toThrow(message);
  });

  it('rejects broken cluster files with the file and member named', () => {
    expect(() => parseKvOptions(['--id', '1', '--peers', '2', '--cluster', '/nonexistent/c.json'])).toThrow(/cannot read cluster file \/nonexistent\/c.json/);
    expect(() => parseKvOptions(['--id', '1', '--peers', '2', '--cluster', clusterFile('{')])).toThrow(/not valid JSON/);
    expect(() => parseKvOptions(['--id', '1', '--peers', '2', '--cluster', clusterFile({ nodes: {} })])).toThrow(/needs a "members" object/);
    const missing = clusterFile({ members: { '1': { raft: 'tcp://127.0.0.1:7001', http: 'http://127.0.0.1:7101' } } });
    expect(() => parseKvOptions(['--id', '1', '--peers', '2', '--cluster', missing])).toThrow(/no entry for member 2/);
    const noRaft = clusterFile({ members: { '1': { http: 'http://127.0.0.1:7101' }, '2': { http: 'http://127.0.0.1:7102' } } });
    expect(() => parseKvOptions(['--id', '1', '--peers', '2', '--cluster', noRaft])).toThrow(/zmq transport needs one/);
    expect(parseKvOptions(['--id', '1', '--peers', '2', '--cluster', noRaft, '--transport', 'nats']).members.size).toBe(2);
    const badUrl = clusterFile({ members: { '1': { raft: 'udp://x:1', http: 'http://127.0.0.1:7101' } } });
    expect(() => parseKvOptions(['--id', '1', '--peers', '', '--cluster', badUrl])).toThrow(/"raft" must use tcp:/);
  });
});
