import type { IncomingMessage, ServerResponse } from "node:http";
import { NextRequest } from "next/server";
import { bodyTimeoutMs } from "@/lib/http/read-body";

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
 * enforces the byte limit and deadline). Cancelling it stops reading; what is left of the body is
 * discarded after the response (discardRest).
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let done = false; // closed, errored or cancelled: the controller takes nothing more
  const listeners = {
    data: (chunk: Buffer) => {
      if (done) return;
      controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if ((controller.desiredSize ?? 0) <= 0) req.pause();
    },
    end: () => finish(() => controller.close()),
    error: (error: Error) => finish(() => controller.error(error)),
  };
  let controller: ReadableStreamDefaultController<Uint8Array>;
  const finish = (last: () => void) => {
    if (done) return;
    done = true;
    // The error listener stays: an error the request emits later (a reset) must not go unheard.
    req.off("data", listeners.data).off("end", listeners.end);
    last();
  };
  return new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
      req.on("data", listeners.data).once("end", listeners.end).on("error", listeners.error);
    },
    pull() {
      req.resume();
    },
    cancel() {
      req.pause();
      finish(() => {});
    },
  });
}

/** Writes a route handler's Response: status, headers (the config's first, the handler's win), body. */
export async function writeResponse(
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
  if (!response.body) {
    res.end();
    return;
  }
  const body = Buffer.from(await response.arrayBuffer());
  res.setHeader("content-length", body.byteLength);
  res.end(body);
}

/**
 * A body not read to its end (refused as too large, or never read because the request was refused
 * first) is read and thrown away after the response, as Node does for a request nobody read: the
 * client can finish sending and read the answer, and the kept-alive connection serves its next
 * request. A client still sending when the body deadline passes loses the connection.
 */
export function discardRest(req: IncomingMessage): void {
  if (req.complete) return;
  req.removeAllListeners("data");
  const deadline = setTimeout(() => req.socket.destroy(), bodyTimeoutMs);
  deadline.unref();
  req.once("end", () => clearTimeout(deadline));
  req.once("close", () => clearTimeout(deadline));
  req.resume();
}
