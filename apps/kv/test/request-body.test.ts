import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BadRequestError, readUtf8Body } from '../src/http/request-body.js';

const LIMIT = 16;
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server whose handler reports what `readUtf8Body` made of each request. */
async function bodyServer(): Promise<{ port: number; outcomes: Promise<string | Error>[] }> {
  const outcomes: Promise<string | Error>[] = [];
  server = createServer((req: IncomingMessage, res) => {
    const outcome = readUtf8Body(req, LIMIT).catch((error: Error) => error);
    outcomes.push(outcome);
    void outcome.then((value) => {
      if (!res.destroyed) res.end(typeof value === 'string' ? `ok ${value}` : `error ${(value as BadRequestError).status ?? ''}`);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, outcomes };
}

/** Sends `parts` as a chunked body (no content-length), waiting a turn between parts. */
function sendChunked(port: number, parts: readonly (string | Buffer)[], abortAfter?: number): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'PUT', path: '/' }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve(text));
      res.on('error', () => resolve('response error'));
    });
    req.on('error', (error) => resolve(`request error ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    const write = async (): Promise<void> => {
      for (const [i, part] of parts.entries()) {
        if (req.destroyed) return;
        req.write(part);
        await new Promise((r) => setTimeout(r, 5));
        if (abortAfter === i) {
          req.destroy();
          return;
        }
      }
      req.end();
    };
    void write();
  });
}

describe('readUtf8Body', () => {
  it('joins a body sent in several chunks', async () => {
    const { port, outcomes } = await bodyServer();
    expect(await sendChunked(port, ['héllo ', 'wörld'])).toBe('ok héllo wörld');
    expect(await outcomes[0]).toBe('héllo wörld');
  });

  it('refuses invalid UTF-8 with a 400', async () => {
    const { port, outcomes } = await bodyServer();
    await sendChunked(port, [Buffer.from([0x61, 0xe0, 0xa4])]);
    const error = await outcomes[0];
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, message: 'request body is not valid UTF-8' });
  });

  it('refuses a body that grows past the limit with a 413 and stops reading it', async () => {
    const { port, outcomes } = await bodyServer();
    const reply = await sendChunked(port, ['0123456789', '0123456789', 'more that is never read']);
    expect(await outcomes[0]).toMatchObject({ status: 413, message: `request body exceeds the ${LIMIT}-byte limit` });
    // The request is destroyed rather than drained, so the client sees its connection go.
    expect(reply).toMatch(/^(request|response) error/);
  });

  it('refuses a declared content-length past the limit before reading anything', async () => {
    const { port, outcomes } = await bodyServer();
    const reply = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port, method: 'PUT', path: '/', headers: { 'content-length': 1000 } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', () => resolve('request error'));
      req.flushHeaders();
    });
    expect(reply).toBe('error 413');
    expect(await outcomes[0]).toMatchObject({ status: 413, message: `request body of 1000 bytes exceeds the ${LIMIT}-byte limit` });
  });

  it('fails when the client goes away in the middle of the body', async () => {
    const { port, outcomes } = await bodyServer();
    await sendChunked(port, ['partial'], 0);
    await expect.poll(() => outcomes.length).toBe(1);
    const outcome = await outcomes[0];
    // Node reports the abort as an 'error' ("aborted"); 'close' without it is the fallback.
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(/^aborted$|closed the connection before sending the whole body/);
  });
});
