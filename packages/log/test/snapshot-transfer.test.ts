import { describe, expect, it } from 'vitest';
import { MessageType, type Message, type NodeId, type Transport } from '../src/index.js';
import { SNAPSHOT_WINDOW } from '../src/snapshot-sender.js';
import { SnapshottingStateMachine, TestCluster, command, stopClustersAfterEach, type Member } from './support/cluster.js';

const CHUNK = 64 * 1024;
/** Bytes every snapshot carries on top of the values: several MiB, so a transfer takes ~50 pieces. */
const PADDING = 3 * 1024 * 1024 + 12_345;

/**
 * A state machine whose snapshots are several MiB: the values as JSON, then pseudo-random padding.
 * `restore` checks every padding byte, so a piece lost, duplicated or misplaced in transit fails
 * the restore instead of passing unnoticed.
 */
class LargeSnapshotStateMachine extends SnapshottingStateMachine {
  override snapshot(): Uint8Array {
    this.snapshots++;
    const json = new TextEncoder().encode(JSON.stringify(this.values));
    const out = new Uint8Array(4 + json.byteLength + PADDING);
    new DataView(out.buffer).setUint32(0, json.byteLength);
    out.set(json, 4);
    out.set(PADDING_BYTES, 4 + json.byteLength);
    return out;
  }

  override async restore(data: AsyncIterable<Uint8Array>): Promise<void> {
    this.restores++;
    const pieces: Uint8Array[] = [];
    for await (const piece of data) pieces.push(piece);
    const all = Buffer.concat(pieces);
    const length = all.readUInt32BE(0);
    const values = JSON.parse(all.subarray(4, 4 + length).toString('utf8')) as number[];
    if (!all.subarray(4 + length).equals(PADDING_BYTES)) throw new Error('the snapshot padding arrived corrupt');
    this.values.splice(0, this.values.length, ...values);
    this.positions.length = 0;
  }
}

/** Pseudo-random, so a piece delivered at the wrong offset cannot match by accident. */
const PADDING_BYTES = (() => {
  const bytes = Buffer.alloc(PADDING);
  let x = 0x2545f491;
  for (let i = 0; i < PADDING; i++) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
})();

/** A Snap piece as it left a leader. */
interface SentPiece {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  readonly offset: number;
  readonly bytes: number;
  readonly done: boolean;
}

/**
 * Watches the snapshot traffic of a cluster: every piece sent and every acknowledgement, and can
 * drop chosen pieces (as a lossy network would).
 */
class SnapshotTraffic {
  readonly pieces: SentPiece[] = [];
  /** Highest offset acknowledged so far, per `from>to` link (acknowledger → leader). */
  private readonly acked = new Map<string, number>();
  /** Most bytes sent beyond the acknowledged offset, over the whole run. */
  maxInFlight = 0;
  /** Returns true to drop a piece instead of sending it. */
  drop: (piece: SentPiece) => boolean = () => false;
  /** Called for every piece before it is sent (or dropped). */
  onPiece: (piece: SentPiece) => void = () => {};

  wrap = (id: NodeId, endpoint: Transport): Transport => ({
    start: (handler) => endpoint.start(handler),
    close: () => endpoint.close(),
    send: (message: Message) => {
      if (message.type === MessageType.Snap && message.chunk !== undefined) {
        const piece: SentPiece = {
          from: id,
          to: message.to,
          term: message.term,
          offset: message.chunk.offset,
          bytes: message.snapshot!.data.byteLength,
          done: message.chunk.done,
        };
        this.pieces.push(piece);
        const acked = this.acked.get(`${message.to}>${id}`) ?? 0;
        this.maxInFlight = Math.max(this.maxInFlight, piece.offset + piece.bytes - acked);
        this.onPiece(piece);
        if (this.drop(piece)) return true;
      } else if (message.type === MessageType.SnapResp && message.chunk !== undefined && !message.reject) {
        const key = `${id}>${message.to}`;
        this.acked.set(key, Math.max(this.acked.get(key) ?? 0, message.chunk.offset));
      }
      return endpoint.send(message);
    },
  });

  /** Pieces `from` sent `to`. */
  between(from: NodeId, to: NodeId): SentPiece[] {
    return this.pieces.filter((piece) => piece.from === from && piece.to === to);
  }
}

describe('snapshots sent in chunks', () => {
  stopClustersAfterEach();

  async function startCluster(traffic: SnapshotTraffic): Promise<TestCluster> {
    return TestCluster.start(3, {
      snapshotEntries: 20,
      snapshotChunkBytes: CHUNK,
      stateMachine: () => new LargeSnapshotStateMachine(),
      transport: traffic.wrap,
    });
  }

  /** Stops a follower, commits `count` commands (the others compact past them), restarts it. */
  async function fallBehind(c: TestCluster, count: number): Promise<{ leader: Member; lagging: Member; last: number }> {
    const leader = await c.leader();
    const laggingId = c.running.find((member) => member.id !== leader.id)!.id;
    await c.stopNode(laggingId);
    let last = 0;
    for (let i = 0; i < count; i++) last = (await leader.node.propose(command(i))).index;
    expect(await leader.storage.firstIndex()).toBeGreaterThan(2);
    const lagging = await c.startNode(laggingId);
    return { leader, lagging, last };
  }

  it('catches a follower far behind a compacted log up through a multi-chunk snapshot, with bounded pieces in flight', async () => {
    const traffic = new SnapshotTraffic();
    const cluster = await startCluster(traffic);
    const { leader, lagging, last } = await fallBehind(cluster, 50);
    await cluster.applied(last, [lagging.id]);

    expect((lagging.stateMachine as SnapshottingStateMachine).restores).toBe(1);
    expect(lagging.stateMachine.values).toEqual(leader.stateMachine.values);
    const pieces = traffic.between(leader.id, lagging.id);
    expect(pieces.length).toBeGreaterThan(PADDING / CHUNK);
    expect(Math.max(...pieces.map((piece) => piece.bytes))).toBe(CHUNK);
    // Sent in order, each piece where the previous one ended, the last one marked done.
    pieces.forEach((piece, i) => expect(piece.offset).toBe(i === 0 ? 0 : pieces[i - 1]!.offset + pieces[i - 1]!.bytes));
    expect(pieces.at(-1)!.done).toBe(true);
    expect(traffic.maxInFlight).toBeLessThanOrEqual(SNAPSHOT_WINDOW * CHUNK);
    // Streamed into storage piece by piece, installed once.
    expect(lagging.storage.installs).toEqual([{ meta: expect.objectContaining({ index: expect.any(Number) }), pieces: pieces.length, outcome: 'installed' }]);
  });

  it('resends a lost piece after a timeout from where the follower got to, not from offset 0', async () => {
    const traffic = new SnapshotTraffic();
    const lost = 7 * CHUNK;
    let dropped = 0;
    traffic.drop = (piece) => piece.offset === lost && dropped++ === 0;
    const cluster = await startCluster(traffic);
    const { leader, lagging, last } = await fallBehind(cluster, 50);
    await cluster.applied(last, [lagging.id]);

    expect(dropped).toBeGreaterThanOrEqual(2);
    expect(lagging.stateMachine.values).toEqual(leader.stateMachine.values);
    const offsets = traffic.between(leader.id, lagging.id).map((piece) => piece.offset);
    expect(offsets.filter((offset) => offset === 0)).toHaveLength(1);
    expect(offsets.filter((offset) => offset === lost)).toHaveLength(2);
    // Only the pieces in flight behind the lost one went out twice.
    const distinct = new Set(offsets).size;
    expect(offsets.length - distinct).toBeLessThanOrEqual(SNAPSHOT_WINDOW);
    expect(lagging.storage.installs.map((install) => install.outcome)).toEqual(['installed']);
  });

  it('completes despite the loss of every seventh piece', async () => {
    const traffic = new SnapshotTraffic();
    let n = 0;
    traffic.drop = () => n++ % 7 === 3;
    const cluster = await startCluster(traffic);
    const { leader, lagging, last } = await fallBehind(cluster, 50);
    await cluster.applied(last, [lagging.id]);
    expect(lagging.stateMachine.values).toEqual(leader.stateMachine.values);
    expect(traffic.between(leader.id, lagging.id).filter((piece) => piece.offset === 0)).toHaveLength(1);
  });

  it('ends with a consistent follower when the leader changes mid-transfer, installing no partial snapshot', async () => {
    const traffic = new SnapshotTraffic();
    const cluster = await startCluster(traffic);
    const c = cluster;
    const { leader, lagging, last } = await fallBehind(c, 50);
    // Cut the old leader off once a third of the snapshot is through.
    traffic.onPiece = (piece) => {
      if (piece.from === leader.id && piece.offset >= PADDING / 3) c.network.isolate(leader.id);
    };
    const others = c.running.filter((member) => member.id !== leader.id).map((member) => member.id);
    const next = await c.leader(others);
    expect(next.id).not.toBe(lagging.id);
    await c.applied(last, [lagging.id]);
    c.network.heal();

    const fromNext = traffic.between(next.id, lagging.id);
    expect(fromNext[0]).toMatchObject({ offset: 0, term: next.node.currentStatus.term });
    expect(traffic.between(leader.id, lagging.id).some((piece) => piece.offset >= PADDING / 3)).toBe(true);
    // The old leader's transfer was abandoned (its stream aborted), the new one installed.
    expect(lagging.storage.installs.map((install) => install.outcome)).toEqual(['failed', 'installed']);
    expect((lagging.stateMachine as SnapshottingStateMachine).restores).toBe(1);

    // Everyone converges on one history.
    const final = (await next.node.propose(command(1000))).index;
    await c.applied(final);
    for (const member of c.running) expect(member.stateMachine.values).toEqual(next.stateMachine.values);
  });

  it('starts over when the follower restarts mid-transfer and never restores a partial snapshot', async () => {
    const traffic = new SnapshotTraffic();
    const cluster = await startCluster(traffic);
    const c = cluster;
    const { leader, lagging, last } = await fallBehind(c, 50);
    let restarting: Promise<unknown> | undefined;
    traffic.onPiece = (piece) => {
      if (restarting === undefined && piece.to === lagging.id && piece.offset >= PADDING / 2) {
        restarting = c.stopNode(lagging.id).then(() => c.startNode(lagging.id));
      }
    };
    await c.until('the follower to restart', () => restarting !== undefined);
    await restarting;
    const back = c.member(lagging.id);
    await c.applied(last, [back.id]);
    expect(back.stateMachine.values).toEqual(leader.stateMachine.values);
    const zeros = traffic.between(leader.id, lagging.id).filter((piece) => piece.offset === 0);
    expect(zeros).toHaveLength(2);
    expect(back.storage.installs.map((install) => install.outcome)).toEqual(['installed']);
  });
});
