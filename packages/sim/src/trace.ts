import { MessageType } from '@raft/core';
import type { Message } from '@raft/core';
import { describeEntry } from './entry-format.js';
import type { SimEvent } from './events.js';

const TYPE_NAMES = new Map<number, string>(Object.entries(MessageType).map(([name, value]) => [value, name]));

/** Renders a message compactly: type, route, term, and the fields its type uses. */
export function describeMessage(m: Message): string {
  const head = `${TYPE_NAMES.get(m.type) ?? `type ${m.type}`} n${m.from}→n${m.to} t${m.term}`;
  switch (m.type) {
    case MessageType.App: {
      const first = m.entries[0];
      const span = first === undefined ? 'no entries' : `entries ${first.index}..${first.index + m.entries.length - 1}`;
      return `${head} prev ${m.index}/t${m.logTerm} ${span} commit ${m.commit}`;
    }
    case MessageType.AppResp:
      return m.reject ? `${head} reject ${m.index} hint ${m.rejectHint}/t${m.logTerm}` : `${head} match ${m.index}`;
    case MessageType.Vote:
    case MessageType.PreVote:
      return `${head} last ${m.index}/t${m.logTerm}`;
    case MessageType.VoteResp:
    case MessageType.PreVoteResp:
      return `${head} ${m.reject ? 'rejected' : 'granted'}`;
    case MessageType.Heartbeat:
      return `${head} commit ${m.commit}`;
    default:
      return head;
  }
}

/** Renders one event as a line of the trace, prefixed with its step. */
export function formatEvent(event: SimEvent): string {
  return `[${String(event.step).padStart(6)}] ${describeEvent(event)}`;
}

function describeEvent(e: SimEvent): string {
  switch (e.kind) {
    case 'role':
      if (e.role === 'leader') return `n${e.node} becomes leader of term ${e.term}`;
      return e.previous === 'leader' ? `n${e.node} steps down (now ${e.role}, term ${e.term})` : `n${e.node} is ${e.role} in term ${e.term}`;
    case 'commit':
      return `committed ${describeEntry(e.entry)} (first applied by n${e.node})`;
    case 'crash':
      return e.sentUnpersisted > 0
        ? `n${e.node} crashes after sending ${e.sentUnpersisted} AppendEntries it had not persisted`
        : `n${e.node} crashes`;
    case 'restart':
      return `n${e.node} restarts from disk: term ${e.term}, last index ${e.lastIndex}, commit ${e.commit}`;
    case 'partition':
      return `partition ${e.groups.map((g) => `{${g.map((id) => `n${id}`).join(',')}}`).join(' | ')}`;
    case 'heal':
      return 'partition healed';
    case 'propose':
      return `client proposes "${e.data}" to n${e.node}: ${e.outcome}`;
    case 'read':
      return `client asks n${e.node} for read "${e.context}"`;
    case 'transfer':
      return `operator asks n${e.from} to transfer leadership to n${e.to}`;
    case 'campaign':
      return `operator makes n${e.node} campaign`;
    case 'membership':
      return `operator asks n${e.node} to change membership (${e.change}): ${e.outcome}`;
    case 'compact':
      return `n${e.node} snapshots its state at ${e.index} and compacts its log`;
    case 'shutdown':
      return `operator shuts down n${e.node}, which is no longer a member`;
    case 'liveness':
      if (e.phase === 'start') return 'liveness: all faults healed, every node up, network reliable';
      if (e.phase === 'leader') return `liveness: n${e.node} leads with every node following, after ${e.ticks} ticks`;
      return `liveness: probe applied on every node after ${e.ticks} ticks`;
    case 'tick':
      return 'tick';
    case 'deliver':
      return `deliver ${describeMessage(e.message)}`;
    case 'send':
      return `send ${describeMessage(e.message)}${e.copies > 1 ? ' (duplicated)' : ''}${e.delay > 0 ? ` (delayed ${e.delay} ticks)` : ''}`;
    case 'lost':
      return `lost (${e.reason}) ${describeMessage(e.message)}`;
  }
}
