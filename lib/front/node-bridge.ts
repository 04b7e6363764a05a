import type { IncomingMessage, ServerResponse } from "node:http";
import { NextRequest } from "next/server";

// Node's request and response, seen as the Fetch Request and Response that route handlers take and
// return — the same conversion Next makes before it calls a route handler.

/** The route handler's request: URL from Host, the headers as Node parsed them, a streamed body. */
export function toNextRequest(req: IncomingMessage, signal: AbortSignal): NextRequest {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  // `duplex: "half"` (required with a stream body) is not yet in TypeScript's RequestInit.
  const body = hasBody ? { body: bodyStream(req), duplex: "half" as const } : {};
  return new NextRequest(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method,
    headers,
    signal,
    ...body,
  });
}

/**
 * The request body as a web stream that reads only as fast as its consumer (read-body.ts, which
 * enforces the byte limit and deadline). Cancelling it stops reading; the connection is then closed
 * after the response rather than drained of a body nobody wants.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once("end", () => controller.close());
      req.once("error", (error) => controller.error(error));
    },
    pull() {
      req.resume();
    },
    cancel() {
      req.pause();
      req.removeAllListeners("data");
      abandonedBodies.add(req);
    },
  });
}

const abandonedBodies = new WeakSet<IncomingMessage>();

/** Writes a route handler's Response: status, headers (the config's first, the handler's win), body. */
export async function writeResponse(
  req: IncomingMessage,
  res: ServerResponse,
  response: Response,
  configHeaders: ReadonlyArray<readonly [string, string]>,
): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of configHeaders) res.setHeader(name, value);
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (abandonedBodies.has(req) && !req.complete) res.setHeader("connection", "close");
  if (!response.body) {
    res.end();
    return;
  }
  const body = Buffer.from(await response.arrayBuffer());
  res.setHeader("content-length", body.byteLength);
  res.end(body);
}
