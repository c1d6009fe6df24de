import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SnapshotMeta } from '@raft/core';
import { sendError, sendJson } from './responses.js';
import type { Route } from './server.js';

/**
 * `POST /v1/snapshot`: snapshot this node's store now and compact its log behind it →
 * `200 {"index": n, "term": t}`, or `{"index": null}` when nothing was applied since the last one.
 */
export function snapshotRoute(snapshot: () => Promise<SnapshotMeta | undefined>): Route {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname !== '/v1/snapshot') return false;
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      sendError(res, 405, 'method_not_allowed');
      return true;
    }
    try {
      const meta = await snapshot();
      sendJson(res, 200, meta === undefined ? { index: null } : { index: meta.index, term: meta.term });
    } catch (error) {
      sendError(res, 503, 'unavailable', { detail: (error as Error).message });
    }
    return true;
  };
}
