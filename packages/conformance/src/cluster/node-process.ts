/**
 * A Raft node as an OS process, driven over stdin/stdout by a {@link ProcessCluster}: a
 * `@raft/log` RaftNode over the transport and storage a module provides, with a state machine
 * that records the numbers it applies. Started as
 * `node --import tsx node-process.ts '<NodeProcessConfig as JSON>'`.
 *
 * @module
 */
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { RaftNode, type LogPosition, type StateMachine } from '@raft/log';
import type { ClusterAdapters } from './adapters.js';
import type { NodeEvent, NodeProcessConfig, NodeProcessStatus, NodeReply, NodeRequest } from './protocol.js';

/** Applies 8-byte float commands by recording them; snapshots are the recorded list. */
class RecordingMachine implements StateMachine<LogPosition> {
  values: number[] = [];

  apply(command: Uint8Array, position: LogPosition): LogPosition {
    this.values.push(new DataView(command.buffer, command.byteOffset, 8).getFloat64(0));
    return { index: position.index, term: position.term };
  }

  snapshot(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify(this.values));
  }

  async restore(data: AsyncIterable<Uint8Array>): Promise<void> {
    const parts: Buffer[] = [];
    for await (const chunk of data) parts.push(Buffer.from(chunk));
    this.values = JSON.parse(Buffer.concat(parts).toString('utf8')) as number[];
  }
}

function write(line: NodeReply | NodeEvent): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function encodeValue(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value);
  return bytes;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as NodeProcessConfig;
  const adapters = (await import(pathToFileURL(config.adapters).href)) as ClusterAdapters;
  const machine = new RecordingMachine();
  const node = new RaftNode<LogPosition>({
    id: config.id,
    peers: config.peers,
    join: config.join,
    transport: await adapters.createTransport(config.id, config.peers),
    storage: await adapters.createStorage(config.dataDir),
    stateMachine: machine,
    tickMs: config.tickMs,
    electionTicks: config.electionTicks,
    heartbeatTicks: config.heartbeatTicks,
    snapshotEntries: config.snapshotEntries,
  });
  node.stopped.catch((error: unknown) => {
    write({ event: 'failed', message: (error as Error).message });
    process.exit(1);
  });
  await node.start();
  write({ event: 'started' });

  const status = (): NodeProcessStatus => {
    const s = node.currentStatus;
    return { id: s.id, role: s.role, term: s.term, leader: s.leader, commit: s.commit, applied: s.applied, voters: s.conf.voters, values: machine.values };
  };
  const handle = async (request: NodeRequest): Promise<unknown> => {
    switch (request.op) {
      case 'propose':
        return node.propose(encodeValue(request.value));
      case 'read':
        return node.read();
      case 'status':
        return status();
      case 'addVoter':
      case 'addLearner':
      case 'removeNode':
        return node[request.op](request.node);
    }
  };
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const request = JSON.parse(line) as NodeRequest;
    handle(request).then(
      (result) => write({ id: request.id, ok: true, result }),
      (error: unknown) => {
        const e = error as Error & { leader?: number };
        write({ id: request.id, ok: false, error: { name: e.name, message: e.message, ...(e.leader !== undefined && { leader: e.leader }) } });
      },
    );
  });
  // The parent closing our stdin means "stop gracefully".
  lines.on('close', () => void node.stop().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  write({ event: 'failed', message: error instanceof Error ? error.stack ?? error.message : String(error) });
  process.exit(1);
});
