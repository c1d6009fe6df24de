import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestError, readUtf8Body } from '../http/request-body.js';
import { sendError, sendJson } from '../http/responses.js';
import type { Route } from '../http/server.js';
import type { FaultSwitch } from './fault-switch.js';
import type { RecentLog } from './recent-log.js';

const MAX_TAIL = 200;

/**
 * Demo-only routes (enabled by `--demo`, never by default):
 * - `POST /v1/demo/isolate` `{"isolated": bool}` or `{"blocked": [ids]}`: cut this node off;
 * - `GET /v1/demo/log?tail=N`: the last committed entries, summarized.
 */
export function demoRoutes(faults: FaultSwitch, log: RecentLog): Route {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname === '/v1/demo/isolate' && req.method === 'POST') {
      try {
        faults.set(parseCut(await readUtf8Body(req, 64 * 1024)));
        sendJson(res, 200, faults.state);
      } catch (error) {
        if (!(error instanceof BadRequestError)) throw error;
        sendError(res, error.status, 'bad_request', { detail: error.message });
      }
      return true;
    }
    if (url.pathname === '/v1/demo/log' && req.method === 'GET') {
      const tail = Number(url.searchParams.get('tail') ?? '20');
      if (!Number.isInteger(tail) || tail < 1 || tail > MAX_TAIL) {
        sendError(res, 400, 'bad_request', { detail: `tail must be an integer from 1 to ${MAX_TAIL}` });
      } else {
        sendJson(res, 200, log.tail(tail));
      }
      return true;
    }
    return false;
  };
}

function parseCut(body: string): { isolated?: boolean; blocked?: number[] } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new BadRequestError('body must be JSON: {"isolated": true|false} or {"blocked": [node ids]}');
  }
  const { isolated, blocked } = (json ?? {}) as { isolated?: unknown; blocked?: unknown };
  if (isolated !== undefined && typeof isolated !== 'boolean') throw new BadRequestError('"isolated" must be true or false');
  if (blocked !== undefined && !(Array.isArray(blocked) && blocked.every((id) => Number.isSafeInteger(id) && id > 0))) {
    throw new BadRequestError('"blocked" must be an array of node ids');
  }
  return { ...(isolated !== undefined && { isolated }), ...(blocked !== undefined && { blocked: blocked as number[] }) };
}
