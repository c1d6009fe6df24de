import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestError, readUtf8Body } from '../http/request-body.js';
import { sendError, sendJson } from '../http/responses.js';
import type { Route } from '../http/server.js';
import type { FaultSwitch, NetworkFaults } from './fault-switch.js';
import type { RecentLog } from './recent-log.js';

const MAX_TAIL = 200;

/**
 * Demo-only routes (enabled by `--demo`, never by default):
 * - `POST /v1/demo/network` `{"isolated"?: bool, "blocked"?: [ids], "drop"?: p, "duplicate"?: p,
 *   "delayMs"?: ms}`: what the network does to this node's Raft traffic (`{}` heals it);
 * - `GET /v1/demo/log?tail=N`: the last committed entries, summarized.
 */
export function demoRoutes(faults: FaultSwitch, log: RecentLog): Route {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname === '/v1/demo/network' && req.method === 'POST') {
      try {
        faults.set(parseNetworkFaults(await readUtf8Body(req, 64 * 1024)));
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

function parseNetworkFaults(body: string): NetworkFaults {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new BadRequestError('body must be JSON: {"isolated": bool, "blocked": [node ids], "drop": 0-1, "duplicate": 0-1, "delayMs": ms}, each optional');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new BadRequestError('body must be a JSON object');
  const { isolated, blocked, drop, duplicate, delayMs, ...unknown } = json as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) throw new BadRequestError(`unknown field ${JSON.stringify(extra[0])}; known: isolated, blocked, drop, duplicate, delayMs`);
  if (isolated !== undefined && typeof isolated !== 'boolean') throw new BadRequestError('"isolated" must be true or false');
  if (blocked !== undefined && !(Array.isArray(blocked) && blocked.every((id) => Number.isSafeInteger(id) && (id as number) > 0))) {
    throw new BadRequestError('"blocked" must be an array of node ids');
  }
  const probability = (name: string, value: unknown): number | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new BadRequestError(`"${name}" must be a probability from 0 to 1`);
    return value;
  };
  if (delayMs !== undefined && !(typeof delayMs === 'number' && delayMs >= 0 && delayMs <= 60_000)) {
    throw new BadRequestError('"delayMs" must be a number of milliseconds from 0 to 60000');
  }
  const faults: { -readonly [K in keyof NetworkFaults]: NetworkFaults[K] } = {};
  if (isolated !== undefined) faults.isolated = isolated;
  if (blocked !== undefined) faults.blocked = blocked as number[];
  if (drop !== undefined) faults.drop = probability('drop', drop);
  if (duplicate !== undefined) faults.duplicate = probability('duplicate', duplicate);
  if (delayMs !== undefined) faults.delayMs = delayMs as number;
  return faults;
}
