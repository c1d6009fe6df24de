import {
  EntryType,
  MessageType,
  type ConfState,
  type Entry,
  type Message,
  type Snapshot,
  type SnapshotChunk,
} from '../types.js';
import { checkClusterId, clusterIdBytes } from './cluster-id.js';
import { CodecError } from './codec-error.js';
import { FrameReader } from './reader.js';
import { blobSize, FrameWriter, uintSize, uintsSize } from './writer.js';

/*
 * Frame layout (integers are unsigned LEB128 varints unless marked u8; bytes are a varint length
 * then the bytes):
 *
 *   magic u8 u8 ("RF")  version u8  clusterId bytes (UTF-8)
 *   type u8  flags u8 (bit 0: reject, bit 1: snapshot follows, bit 2: chunk follows)
 *   from  to  term  logTerm  index  commit  rejectHint  context bytes
 *   entryCount, then per entry: term  index  type u8  data bytes
 *   [snapshot: index  term  voters  learners  votersOutgoing  learnersNext (each a count then ids)
 *              autoLeave u8  data bytes]
 *   [chunk: offset  done u8]
 *
 * The frame ends exactly there; anything after is an error. The chunk section came with snapshots
 * sent in pieces; it is flagged, so frames without one are laid out exactly as before.
 */

const MAGIC_0 = 0x52;
const MAGIC_1 = 0x46;

/** The frame format version this build writes and reads. Bump it when the layout changes. */
export const FRAME_VERSION = 1;

const FLAG_REJECT = 1;
const FLAG_SNAPSHOT = 2;
const FLAG_CHUNK = 4;
const KNOWN_FLAGS = FLAG_REJECT | FLAG_SNAPSHOT | FLAG_CHUNK;

/** Smallest encoded entry: term, index, type and an empty data length, one byte each. */
const MIN_ENTRY_BYTES = 4;

const MESSAGE_TYPES: ReadonlySet<number> = new Set(Object.values(MessageType));
const ENTRY_TYPES: ReadonlySet<number> = new Set(Object.values(EntryType));

/**
 * Encodes `message` as one binary frame stamped with `clusterId`, in a single allocation.
 *
 * @throws {@link CodecError} when a numeric field is not a non-negative safe integer or a type is
 * unknown (a bug in the caller: core never produces such a message).
 */
export function encodeMessage(message: Message, clusterId: string): Uint8Array {
  if (!MESSAGE_TYPES.has(message.type)) {
    throw new CodecError(`cannot encode a message of unknown type ${String(message.type)}`);
  }
  const cluster = clusterIdBytes(clusterId);
  const out = new FrameWriter(frameSize(message, cluster));
  out.byte(MAGIC_0);
  out.byte(MAGIC_1);
  out.byte(FRAME_VERSION);
  out.blob(cluster);
  out.byte(message.type);
  out.byte((message.reject ? FLAG_REJECT : 0) | (message.snapshot ? FLAG_SNAPSHOT : 0) | (message.chunk ? FLAG_CHUNK : 0));
  out.uint(message.from);
  out.uint(message.to);
  out.uint(message.term);
  out.uint(message.logTerm);
  out.uint(message.index);
  out.uint(message.commit);
  out.uint(message.rejectHint);
  out.blob(message.context);
  out.uint(message.entries.length);
  for (const entry of message.entries) {
    out.uint(entry.term);
    out.uint(entry.index);
    out.byte(entry.type);
    out.blob(entry.data);
  }
  if (message.snapshot) writeSnapshot(out, message.snapshot);
  if (message.chunk) {
    out.uint(message.chunk.offset);
    out.byte(message.chunk.done ? 1 : 0);
  }
  return out.finish();
}

/**
 * Decodes a frame written by {@link encodeMessage}, checking it belongs to `clusterId`.
 *
 * For speed, the `data` of decoded entries and snapshots and the `context` are views into `frame`,
 * not copies: the caller must not modify `frame` afterwards (a transport that reuses receive
 * buffers must hand the decoder a copy).
 *
 * @throws {@link CodecError} for a truncated or corrupted frame, an unknown magic, version, message
 * or entry type, a length that runs past the end, trailing bytes, or a frame from another cluster.
 * Never throws anything else, whatever the bytes.
 */
export function decodeMessage(frame: Uint8Array, clusterId: string): Message {
  const input = new FrameReader(frame, 'message frame');
  const magic0 = input.byte('magic');
  const magic1 = input.byte('magic');
  if (magic0 !== MAGIC_0 || magic1 !== MAGIC_1) {
    input.fail(`bad magic 0x${hex(magic0)}${hex(magic1)} (expected 0x${hex(MAGIC_0)}${hex(MAGIC_1)}); not a Raft frame`);
  }
  const version = input.byte('version');
  if (version !== FRAME_VERSION) {
    input.fail(`format version ${version} is not supported (this build reads version ${FRAME_VERSION}); run the same @raft/core version on every node`);
  }
  checkClusterId(input.blob('cluster id'), clusterId);
  const type = input.byte('message type');
  if (!MESSAGE_TYPES.has(type)) input.fail(`unknown message type ${type}`);
  const flags = input.byte('flags');
  if ((flags & ~KNOWN_FLAGS) !== 0) input.fail(`unknown flags 0x${hex(flags)}`);
  const from = input.uint('from');
  const to = input.uint('to');
  const term = input.uint('term');
  const logTerm = input.uint('logTerm');
  const index = input.uint('index');
  const commit = input.uint('commit');
  const rejectHint = input.uint('rejectHint');
  const context = input.blob('context');
  const entries = readEntries(input);
  const fields = {
    type: type as MessageType,
    from,
    to,
    term,
    logTerm,
    index,
    entries,
    commit,
    reject: (flags & FLAG_REJECT) !== 0,
    rejectHint,
    context,
  };
  let message: Message = (flags & FLAG_SNAPSHOT) !== 0 ? { ...fields, snapshot: readSnapshot(input) } : fields;
  if ((flags & FLAG_CHUNK) !== 0) message = { ...message, chunk: readChunk(input) };
  input.end();
  return message;
}

function frameSize(message: Message, cluster: Uint8Array): number {
  let size =
    5 + // magic, version, type, flags
    blobSize(cluster) +
    uintSize(message.from, 'from') +
    uintSize(message.to, 'to') +
    uintSize(message.term, 'term') +
    uintSize(message.logTerm, 'logTerm') +
    uintSize(message.index, 'index') +
    uintSize(message.commit, 'commit') +
    uintSize(message.rejectHint, 'rejectHint') +
    blobSize(message.context) +
    uintSize(message.entries.length, 'entry count');
  for (const entry of message.entries) size += entrySize(entry);
  if (message.snapshot) size += snapshotSize(message.snapshot);
  if (message.chunk) size += uintSize(message.chunk.offset, 'chunk offset') + 1;
  return size;
}

function entrySize(entry: Entry): number {
  if (!ENTRY_TYPES.has(entry.type)) {
    throw new CodecError(`cannot encode entry ${entry.index}: unknown entry type ${String(entry.type)}`);
  }
  return uintSize(entry.term, 'entry term') + uintSize(entry.index, 'entry index') + 1 + blobSize(entry.data);
}

function readEntries(input: FrameReader): Entry[] {
  const count = input.count('entry', MIN_ENTRY_BYTES);
  const entries = new Array<Entry>(count);
  for (let i = 0; i < count; i++) {
    const term = input.uint('entry term');
    const index = input.uint('entry index');
    const type = input.byte('entry type');
    if (!ENTRY_TYPES.has(type)) input.fail(`entry ${index} has unknown type ${type}`);
    entries[i] = { term, index, type: type as EntryType, data: input.blob('entry data') };
  }
  return entries;
}

function snapshotSize(snapshot: Snapshot): number {
  const { meta } = snapshot;
  return (
    uintSize(meta.index, 'snapshot index') +
    uintSize(meta.term, 'snapshot term') +
    confStateSize(meta.conf) +
    blobSize(snapshot.data)
  );
}

function writeSnapshot(out: FrameWriter, snapshot: Snapshot): void {
  out.uint(snapshot.meta.index);
  out.uint(snapshot.meta.term);
  writeConfState(out, snapshot.meta.conf);
  out.blob(snapshot.data);
}

function readSnapshot(input: FrameReader): Snapshot {
  const index = input.uint('snapshot index');
  const term = input.uint('snapshot term');
  const conf = readConfState(input);
  return { meta: { index, term, conf }, data: input.blob('snapshot data') };
}

function readChunk(input: FrameReader): SnapshotChunk {
  const offset = input.uint('chunk offset');
  return { offset, done: input.bool('chunk done') };
}

function confStateSize(conf: ConfState): number {
  return (
    uintsSize(conf.voters, 'voter') +
    uintsSize(conf.learners, 'learner') +
    uintsSize(conf.votersOutgoing, 'outgoing voter') +
    uintsSize(conf.learnersNext, 'next learner') +
    1
  );
}

function writeConfState(out: FrameWriter, conf: ConfState): void {
  out.uints(conf.voters);
  out.uints(conf.learners);
  out.uints(conf.votersOutgoing);
  out.uints(conf.learnersNext);
  out.byte(conf.autoLeave ? 1 : 0);
}

function readConfState(input: FrameReader): ConfState {
  return {
    voters: input.uints('voter'),
    learners: input.uints('learner'),
    votersOutgoing: input.uints('outgoing voter'),
    learnersNext: input.uints('next learner'),
    autoLeave: input.bool('autoLeave'),
  };
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
