import type { ServerResponse } from 'node:http';

/** Sends a JSON body with `status`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Sends `{"error": code, ...extra}`. */
export function sendError(res: ServerResponse, status: number, code: string, extra: Record<string, unknown> = {}): void {
  sendJson(res, status, { error: code, ...extra });
}

/** Sends a plain-text body. */
export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
