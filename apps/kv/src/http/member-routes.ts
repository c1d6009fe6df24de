import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RaftKvService } from '../kv/raft-kv-service.js';
import { NotLeaderRedirect, OutcomeUnknownError, UnavailableError } from '../kv/service.js';
import { FORWARDED_HEADER, forwardToLeader } from './forward.js';
import { BadRequestError, readUtf8Body } from './request-body.js';
import { sendError, sendJson } from './responses.js';
import type { Route } from './server.js';

/** What the membership routes need. */
export interface MemberRouteOptions {
  readonly service: RaftKvService;
  readonly selfId: number;
  readonly httpAddressOf: (id: number) => string | undefined;
  readonly requestTimeoutMs: number;
}

const MEMBER_ROUTE = /^\/v1\/members\/([0-9]+)$/;

/**
 * Membership administration:
 * - `GET /v1/members` → `{"voters": [...], "learners": [...], "joint": bool}`;
 * - `POST /v1/members/:id` `{"as": "learner" | "voter"}` adds a node or promotes a learner;
 * - `DELETE /v1/members/:id` removes a node.
 * Changes answer `200` once applied, `409` when refused (another change pending, or invalid now),
 * `503`/`504` as writes do; followers forward them to the leader. One change at a time.
 */
export function memberRoutes(options: MemberRouteOptions): Route {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname === '/v1/members' && req.method === 'GET') {
      sendJson(res, 200, options.service.members());
      return true;
    }
    const match = MEMBER_ROUTE.exec(url.pathname);
    if (match === null) return false;
    const id = Number(match[1]);
    if (req.method !== 'POST' && req.method !== 'DELETE') {
      res.setHeader('allow', 'POST, DELETE');
      sendError(res, 405, 'method_not_allowed');
      return true;
    }
    let body = '';
    try {
      body = req.method === 'POST' ? await readUtf8Body(req, 4096) : '';
      if (!Number.isSafeInteger(id) || id < 1) throw new BadRequestError('a member id is a positive integer');
      const change = req.method === 'DELETE' ? 'remove' : parseAs(body);
      await options.service.changeMember(id, change);
      sendJson(res, 200, options.service.members());
    } catch (error) {
      if (error instanceof NotLeaderRedirect) {
        const leaderUrl = error.leader ? options.httpAddressOf(error.leader) : undefined;
        if (leaderUrl === undefined || req.headers[FORWARDED_HEADER] !== undefined) sendError(res, 503, 'unavailable', { detail: error.message });
        else await forwardToLeader(req, res, body, leaderUrl, options.selfId, options.requestTimeoutMs);
      } else if (error instanceof BadRequestError) {
        sendError(res, error.status, 'bad_request', { detail: error.message });
      } else if (error instanceof UnavailableError) {
        sendError(res, 409, 'membership_change_refused', { detail: error.message });
      } else if (error instanceof OutcomeUnknownError) {
        sendError(res, 504, 'timeout', { detail: error.message });
      } else {
        sendError(res, 504, 'timeout', { detail: `outcome unknown: ${(error as Error).message}` });
      }
    }
    return true;
  };
}

function parseAs(body: string): 'learner' | 'voter' {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new BadRequestError('body must be JSON: {"as": "learner"} or {"as": "voter"}');
  }
  const as = (json as { as?: unknown } | null)?.as;
  if (as !== 'learner' && as !== 'voter') throw new BadRequestError('"as" must be "learner" or "voter"');
  return as;
}
