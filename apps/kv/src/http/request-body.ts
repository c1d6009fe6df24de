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
 * (the rest is not buffered) and refusing invalid UTF-8.
 */
export async function readUtf8Body(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw new BadRequestError(`request body of ${declared} bytes exceeds the ${limit}-byte limit`, 413);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BadRequestError(`request body exceeds the ${limit}-byte limit`, 413);
    chunks.push(chunk);
  }
  try {
    return utf8.decode(Buffer.concat(chunks));
  } catch {
    throw new BadRequestError('request body is not valid UTF-8');
  }
}
