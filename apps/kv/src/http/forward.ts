import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { sendError } from './responses.js';

/** Header marking a request a follower forwarded, so it is never forwarded twice. */
export const FORWARDED_HEADER = 'x-raft-forwarded-by';

/**
 * One keep-alive agent for all forwards: a follower under load forwards every write, and a fresh
 * `fetch` per request (WHATWG streams, an AbortSignal timer) cost several times the CPU of a plain
 * `node:http` request on a reused connection — forwarded writes ran at an eighth of direct ones.
 */
const agent = new Agent({ keepAlive: true });

/**
 * Replays a write on the leader's HTTP API and relays its answer. A forward that could not even
 * connect definitely did not reach the leader (503); one that failed after the request left may
 * have been applied (504).
 */
export async function forwardToLeader(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  leaderBaseUrl: string,
  selfId: number,
  timeoutMs: number,
): Promise<void> {
  // The request target is relayed as received: resolving it against a URL would turn a key like
  // `.` or `..` into a dot segment, and the leader takes keys verbatim (see handleKvRoute).
  const leader = new URL(leaderBaseUrl);
  const method = req.method ?? 'GET';
  const payload = method === 'GET' || method === 'HEAD' ? undefined : Buffer.from(body);
  let reply: { status: number; contentType: string | undefined; text: Buffer };
  try {
    reply = await send(leader, req.url ?? '/', method, payload, {
      'content-type': req.headers['content-type'] ?? 'text/plain',
      [FORWARDED_HEADER]: String(selfId),
    }, timeoutMs);
  } catch (error) {
    if ((error as ForwardError).neverSent) sendError(res, 503, 'unavailable', { detail: `leader at ${leaderBaseUrl} is unreachable` });
    else sendError(res, 504, 'timeout', { detail: `no answer from the leader at ${leaderBaseUrl}; the write may or may not have been applied` });
    return;
  }
  res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'application/json', 'content-length': reply.text.length });
  res.end(reply.text);
}

/** A failed forward; `neverSent` when no connection to the leader was ever made. */
type ForwardError = Error & { neverSent?: boolean };

function send(
  leader: URL,
  path: string,
  method: string,
  payload: Buffer | undefined,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; contentType: string | undefined; text: Buffer }> {
  return new Promise((resolve, reject) => {
    // Until a socket is connected (a new one, or a kept-alive one handed over), nothing was sent.
    let connected = false;
    const fail = (error: Error): void => {
      clearTimeout(timer);
      (error as ForwardError).neverSent = !connected;
      reject(error);
    };
    const outgoing = request(
      {
        agent,
        host: leader.hostname,
        port: leader.port,
        path,
        method,
        headers: payload === undefined ? headers : { ...headers, 'content-length': payload.length },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 502, contentType: response.headers['content-type'], text: Buffer.concat(chunks) });
        });
      },
    );
    const timer = setTimeout(() => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    outgoing.on('socket', (socket) => {
      if (socket.connecting) socket.once('connect', () => (connected = true));
      else connected = true;
    });
    outgoing.on('error', fail);
    outgoing.end(payload);
  });
}
