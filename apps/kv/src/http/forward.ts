import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './responses.js';

/** Header marking a request a follower forwarded, so it is never forwarded twice. */
export const FORWARDED_HEADER = 'x-raft-forwarded-by';

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
  const target = new URL(req.url ?? '/', leaderBaseUrl);
  let response: Response;
  try {
    response = await fetch(target, {
      method: req.method ?? 'GET',
      headers: { 'content-type': req.headers['content-type'] ?? 'text/plain', [FORWARDED_HEADER]: String(selfId) },
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (neverSent(error)) sendError(res, 503, 'unavailable', { detail: `leader at ${leaderBaseUrl} is unreachable` });
    else sendError(res, 504, 'timeout', { detail: `no answer from the leader at ${leaderBaseUrl}; the write may or may not have been applied` });
    return;
  }
  const text = await response.text();
  res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
  res.end(text);
}

/** Errors raised before any byte of the request could have reached the leader. */
function neverSent(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'UND_ERR_CONNECT_TIMEOUT';
}
