// Reads a request body as bytes, with a byte limit and a deadline, before anything parses it.
// The limit counts bytes as they arrive, so a chunked body (no Content-Length) or a lying
// Content-Length cannot push more than `limit` bytes into memory; the deadline bounds how long
// a slow or never-ending body holds a request open.

import { settings } from "@/lib/config";

/** Largest request body accepted; a batch of 16 bodies is capped at 1 MiB (maxBatchBytes) anyway. */
export const maxRequestBytes = 4 * 1024 * 1024;

/** How long a client may take to send its whole body (OPENCMQ_BODY_TIMEOUT_MS, default 20 s). */
export const bodyTimeoutMs = settings().bodyTimeoutMs;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body exceeds ${limit} bytes.`);
  }
}

export class BodyTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The request body did not arrive within ${timeoutMs / 1000} s.`);
  }
}

/** The body broke off before its end: the client hung up, or the connection failed. */
export class BodyIncompleteError extends Error {
  constructor() {
    super("The request body ended before it was complete; send the request again.");
  }
}

// A server that reads a small body itself as it arrives (lib/front) hands it over with the request
// (Symbol.for: the front and Next each load their own copy of this module).
const earlyBodyKey = Symbol.for("opencmq.earlyBody");
type WithEarlyBody = { [earlyBodyKey]?: Promise<Buffer> };

/**
 * Gives `req` a body already being read, for readBody to take instead of `req.body`. `body` must
 * enforce this module's deadline (bodyTimeoutMs, counted from the request's arrival) and reject
 * with BodyTimeoutError or BodyIncompleteError as readBody would; the byte limit stays readBody's.
 */
export function attachEarlyBody(req: Request, body: Promise<Buffer>): void {
  body.catch(() => {}); // a body nobody asks for (the request was refused first) may fail unheard
  (req as WithEarlyBody)[earlyBodyKey] = body;
}

export async function readBody(req: Request, options: { limit?: number; timeoutMs?: number } = {}): Promise<Buffer> {
  const limit = options.limit ?? maxRequestBytes;
  const timeoutMs = options.timeoutMs ?? bodyTimeoutMs;
  // A declared length over the limit is refused before a byte is read.
  if (Number(req.headers.get("content-length") ?? 0) > limit) throw new BodyTooLargeError(limit);
  const early = (req as WithEarlyBody)[earlyBodyKey];
  if (early) {
    const body = await early;
    if (body.byteLength > limit) throw new BodyTooLargeError(limit);
    return body;
  }
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BodyTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([
        reader.read().catch(() => {
          throw new BodyIncompleteError(); // not a database outage, whatever the socket's error code
        }),
        deadline,
      ]);
      if (done) break;
      size += value.byteLength;
      if (size > limit) throw new BodyTooLargeError(limit);
      chunks.push(value);
    }
  } catch (error) {
    // Stop the rest of the body from being read (and buffered) on our behalf.
    reader.cancel().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks, size);
}
