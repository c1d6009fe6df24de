import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  NotLeaderRedirect,
  OutcomeUnknownError,
  UnavailableError,
  type KvService,
  type ReadConsistency,
} from '../kv/service.js';
import { FORWARDED_HEADER, forwardToLeader } from './forward.js';
import { BadRequestError, readUtf8Body } from './request-body.js';
import { sendError, sendJson, sendText } from './responses.js';

/** Longest key accepted, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/** What the KV routes need besides the service. */
export interface KvRouteOptions {
  readonly service: KvService;
  readonly selfId: number;
  /** Base URL of a member's HTTP API, for forwarding writes to the leader. */
  readonly httpAddressOf: (id: number) => string | undefined;
  readonly maxBodyBytes: number;
  readonly requestTimeoutMs: number;
}

const KEY_ROUTE = /^\/v1\/kv\/([^/]+)(\/cas)?$/;

/**
 * Serves `/v1/kv/...` per the KV HTTP API contract, given the request target's `path` and `query`
 * (without the `?`). The key is the path segment as sent, percent-decoded: `.` and `..` are keys
 * like any other. Returns `false` when the path is not a KV route, so the caller can try others.
 */
export async function handleKvRoute(req: IncomingMessage, res: ServerResponse, path: string, query: string, options: KvRouteOptions): Promise<boolean> {
  const match = KEY_ROUTE.exec(path);
  if (!match) return false;
  try {
    const key = decodeKey(match[1]!);
    const isCas = match[2] !== undefined;
    const method = req.method ?? 'GET';
    if (isCas ? method !== 'POST' : !['GET', 'PUT', 'DELETE'].includes(method)) {
      res.setHeader('allow', isCas ? 'POST' : 'GET, PUT, DELETE');
      sendError(res, 405, 'method_not_allowed');
      return true;
    }
    if (method === 'GET') {
      await handleGet(res, key, readConsistency(query), options.service);
      return true;
    }
    const body = await readUtf8Body(req, options.maxBodyBytes);
    try {
      await handleWrite(res, method, key, isCas ? parseCasBody(body) : body, options.service);
    } catch (error) {
      if (!(error instanceof NotLeaderRedirect)) throw error;
      const leaderUrl = error.leader ? options.httpAddressOf(error.leader) : undefined;
      if (leaderUrl === undefined || req.headers[FORWARDED_HEADER] !== undefined) {
        sendError(res, 503, 'unavailable', { detail: error.leader ? `node ${error.leader} leads but cannot be forwarded to` : 'no leader is known yet' });
      } else {
        await forwardToLeader(req, res, body, leaderUrl, options.selfId, options.requestTimeoutMs);
      }
    }
  } catch (error) {
    sendFailure(res, error);
  }
  return true;
}

async function handleGet(res: ServerResponse, key: string, consistency: ReadConsistency, service: KvService): Promise<void> {
  const value = await service.get(key, consistency);
  if (value === null) sendError(res, 404, 'not_found');
  else sendText(res, 200, value);
}

async function handleWrite(
  res: ServerResponse,
  method: string,
  key: string,
  body: string | { expect: string | null; value: string },
  service: KvService,
): Promise<void> {
  if (typeof body !== 'string') {
    const outcome = await service.cas(key, body.expect, body.value);
    if (outcome.ok) sendJson(res, 200, { index: outcome.index });
    else sendError(res, 409, 'cas_mismatch', { current: outcome.current });
  } else if (method === 'PUT') {
    sendJson(res, 200, await service.put(key, body));
  } else {
    sendJson(res, 200, await service.delete(key));
  }
}

function sendFailure(res: ServerResponse, error: unknown): void {
  if (error instanceof BadRequestError) sendError(res, error.status, error.status === 413 ? 'too_large' : 'bad_request', { detail: error.message });
  else if (error instanceof UnavailableError) sendError(res, 503, 'unavailable', { detail: error.message });
  else if (error instanceof OutcomeUnknownError) sendError(res, 504, 'timeout', { detail: error.message });
  // Anything unexpected may have happened after a proposal left, so it must not claim a definite failure.
  else sendError(res, 504, 'timeout', { detail: `outcome unknown: ${(error as Error).message}` });
}

function decodeKey(segment: string): string {
  let key: string;
  try {
    key = decodeURIComponent(segment);
  } catch {
    throw new BadRequestError(`key "${segment}" is not valid percent-encoding`);
  }
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new BadRequestError(`key is longer than ${MAX_KEY_BYTES} bytes`);
  return key;
}

function readConsistency(query: string): ReadConsistency {
  const value = query === '' ? null : new URLSearchParams(query).get('consistency');
  if (value === null || value === 'linearizable') return 'linearizable';
  if (value === 'stale') return 'stale';
  throw new BadRequestError(`consistency must be "linearizable" (the default) or "stale", got "${value}"`);
}

function parseCasBody(body: string): { expect: string | null; value: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new BadRequestError('compare-and-set body must be JSON: {"expect": string|null, "value": string}');
  }
  const { expect, value } = (json ?? {}) as { expect?: unknown; value?: unknown };
  if (!(expect === null || typeof expect === 'string') || typeof value !== 'string') {
    throw new BadRequestError('compare-and-set body must be {"expect": string|null, "value": string}');
  }
  return { expect, value };
}
