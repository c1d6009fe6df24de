import type { IncomingMessage } from 'node:http';

/** The request is malformed (HTTP 400) or too large (HTTP 413). */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
  constructor(
    message: string,
    readonly status: 400 | 413 = 400,
  ) {
    super(message);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the whole body as UTF-8, refusing more than `limit` bytes as soon as the limit is crossed
 * (the rest is not buffered: the request is destroyed) and refusing invalid UTF-8.
 *
 * Plain stream events rather than `for await`: the async iterator costs more than the rest of a
 * small PUT's parsing, on the path every write takes.
 */
export function readUtf8Body(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new BadRequestError(`request body of ${declared} bytes exceeds the ${limit}-byte limit`, 413));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: Error | undefined): void => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (error !== undefined) {
        reject(error);
        return;
      }
      try {
        resolve(utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
      } catch {
        reject(new BadRequestError('request body is not valid UTF-8'));
      }
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      settle(new BadRequestError(`request body exceeds the ${limit}-byte limit`, 413));
      req.destroy();
    };
    const onEnd = (): void => settle(undefined);
    const onError = (error: Error): void => settle(error);
    const onClose = (): void => settle(new BadRequestError('the client closed the connection before sending the whole body'));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
