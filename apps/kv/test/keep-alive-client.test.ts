import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KeepAliveConnection, parseResponse, ResponseParseError } from '../bench/keep-alive-client.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function httpServer(handler: RequestListener): Promise<{ port: number; sockets: Set<Socket> }> {
  const server = createHttpServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => sockets.add(socket));
  server.on('close', () => server.closeAllConnections());
  const port = await listen(server);
  return { port, sockets };
}

/** A TCP server that answers every request with `reply` (raw bytes). */
async function rawServer(reply: (socket: Socket) => void): Promise<number> {
  const server = createNetServer((socket) => socket.once('data', () => reply(socket)));
  return listen(server);
}

describe('KeepAliveConnection against node:http', () => {
  it('sends the method, path and body and reuses one connection for sequential requests', async () => {
    const seen: string[] = [];
    const { port, sockets } = await httpServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${req.headers['content-type'] ?? '-'} ${body}`);
        res.writeHead(req.method === 'PUT' ? 200 : 404, { 'content-length': 2 });
        res.end('ok');
      });
    });
    const connection = new KeepAliveConnection('127.0.0.1', port);
    expect(await connection.request('PUT', '/v1/kv/a', 'value-é')).toBe(200);
    expect(await connection.request('GET', '/v1/kv/b')).toBe(404);
    expect(await connection.request('PUT', '/v1/kv/c', '')).toBe(200);
    connection.close();
    expect(seen).toEqual(['PUT /v1/kv/a text/plain value-é', 'GET /v1/kv/b - ', 'PUT /v1/kv/c text/plain ']);
    expect(sockets.size).toBe(1);
  });

  it('reads chunked bodies, including ones split across packets', async () => {
    const { port } = await httpServer((_req, res) => {
      res.writeHead(201);
      res.write('first chunk;');
      setImmediate(() => res.end('second chunk'));
    });
    const connection = new KeepAliveConnection('127.0.0.1', port);
    expect(await connection.request('GET', '/')).toBe(201);
    expect(await connection.request('GET', '/')).toBe(201);
    connection.close();
  });

  it('opens a new connection after the server says Connection: close', async () => {
    const { port, sockets } = await httpServer((_req, res) => {
      res.writeHead(503, { connection: 'close', 'content-length': 0 });
      res.end();
    });
    const connection = new KeepAliveConnection('127.0.0.1', port);
    expect(await connection.request('GET', '/')).toBe(503);
    expect(await connection.request('GET', '/')).toBe(503);
    connection.close();
    expect(sockets.size).toBe(2);
  });

  it('refuses a second request while one is outstanding', async () => {
    const { port } = await httpServer((_req, res) => setImmediate(() => res.end()));
    const connection = new KeepAliveConnection('127.0.0.1', port);
    const first = connection.request('GET', '/');
    await expect(connection.request('GET', '/')).rejects.toThrow('already outstanding');
    expect(await first).toBe(200);
    connection.close();
  });
});

describe('KeepAliveConnection failures', () => {
  it('rejects on a response that is not HTTP, and again over a fresh connection', async () => {
    const port = await rawServer((socket) => socket.end('SSH-2.0-OpenSSH\r\n\r\n'));
    const connection = new KeepAliveConnection('127.0.0.1', port);
    await expect(connection.request('GET', '/')).rejects.toBeInstanceOf(ResponseParseError);
    await expect(connection.request('GET', '/')).rejects.toThrow(/not an HTTP\/1.x status line/);
  });

  it('rejects when the server closes the connection in the middle of a body', async () => {
    const port = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc'));
    const connection = new KeepAliveConnection('127.0.0.1', port);
    await expect(connection.request('GET', '/')).rejects.toThrow('the server closed the connection');
  });

  it('rejects when nothing listens', async () => {
    const port = await rawServer(() => {});
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    const connection = new KeepAliveConnection('127.0.0.1', port);
    await expect(connection.request('GET', '/')).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('parseResponse', () => {
  const parse = (text: string) => parseResponse(Buffer.from(text, 'latin1'));

  it('waits for the whole head and body', () => {
    expect(parse('HTTP/1.1 200 OK\r\ncontent-len')).toBeUndefined();
    expect(parse('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nabc')).toBeUndefined();
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabcde')).toEqual({ status: 200, length: 43, close: false });
  });

  it('finds the end of a chunked body with and without trailers', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    expect(parse(`${head}3\r\nabc\r\n0\r\n`)).toBeUndefined();
    expect(parse(`${head}3\r\nabc\r\n0\r\n\r\n`)).toEqual({ status: 200, length: head.length + 13, close: false });
    expect(parse(`${head}3;ext=1\r\nabc\r\n0\r\nx-sum: 1\r\n\r\n`)).toEqual({ status: 200, length: head.length + 29, close: false });
  });

  it('says when the server will close', () => {
    expect(parse('HTTP/1.0 504 Gateway Timeout\r\nConnection: close\r\ncontent-length: 0\r\n\r\n')?.close).toBe(true);
  });

  it('refuses what it cannot frame', () => {
    expect(() => parse('HTTP/1.1 200 OK\r\n\r\n')).toThrow('neither content-length nor chunked');
    expect(() => parse('HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n')).toThrow('invalid content-length');
    expect(() => parse('HTTP/1.1 200 OK\r\nno colon\r\n\r\n')).toThrow('malformed header line');
    expect(() => parse('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n')).toThrow('invalid chunk size');
    expect(() => parse('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\nabc')).toThrow('not followed by CRLF');
    expect(() => parse(`HTTP/1.1 200 OK\r\n${'x'.repeat(17_000)}`)).toThrow('response head longer than');
  });
});
