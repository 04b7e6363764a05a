import type { IncomingMessage, ServerResponse } from "node:http";
import { NextRequest } from "next/server";
import { attachEarlyBody, BodyIncompleteError, BodyTimeoutError, bodyTimeoutMs } from "@/lib/http/read-body";

// Node's request and response, seen as the Fetch Request and Response that route handlers take and
// return — the same conversion Next makes before it calls a route handler.

/**
 * Bodies that declare at most this many bytes (the data plane's are a few hundred) are read by the
 * front as they arrive and handed to read-body.ts as one Buffer: no web stream per request. Larger
 * or chunked bodies stream, read only as fast as the handler reads them.
 */
export const earlyBodyMaxBytes = 64 * 1024;

/**
 * The route handler's request: URL from Host, the headers as Node parsed them, the body (read early
 * when small, else streamed). Its `signal` — aborted when the client hangs up before the answer —
 * is made only when a handler asks for it (a long poll): an AbortController per request costs more
 * than the rest of the conversion.
 */
export function toNextRequest(req: IncomingMessage, res: ServerResponse): NextRequest {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  // Node's parser accepts only a well-formed Content-Length and delivers no more body than it says.
  const isSmall = hasBody && Number(req.headers["content-length"]) <= earlyBodyMaxBytes;
  // `duplex: "half"` (required with a stream body) is not yet in TypeScript's RequestInit.
  const body = hasBody && !isSmall ? { body: bodyStream(req), duplex: "half" as const } : {};
  const request = new NextRequest(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method,
    headers,
    ...body,
  });
  if (isSmall) attachEarlyBody(request, readSmallBody(req));
  let abort: AbortController | undefined;
  Object.defineProperty(request, "signal", {
    get() {
      if (!abort) {
        const controller = new AbortController();
        abort = controller;
        if (req.socket.destroyed) controller.abort();
        else {
          res.once("close", () => {
            if (!res.writableFinished) controller.abort();
          });
        }
      }
      return abort.signal;
    },
  });
  return request;
}

/**
 * A small body, read at once as it arrives, within read-body.ts's deadline (counted from here, the
 * request's arrival). Fails as readBody would: BodyTimeoutError, or BodyIncompleteError when the
 * client hangs up or the connection fails first. What arrives after a failure is left to discardRest.
 */
function readSmallBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.byteLength;
    };
    let isSettled = false;
    const settle = (error?: Error) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(deadline);
      // The error listener stays: an error the request emits later (a reset) must not go unheard.
      req.off("data", onData).off("end", onEnd).off("close", onClose);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onEnd = () => settle();
    const onClose = () => settle(new BodyIncompleteError()); // closed before its end
    const onError = () => settle(new BodyIncompleteError());
    const deadline = setTimeout(() => settle(new BodyTimeoutError(bodyTimeoutMs)), bodyTimeoutMs);
    req.on("data", onData).once("end", onEnd).once("close", onClose).on("error", onError);
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
