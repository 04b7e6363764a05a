// Next's own server loads this first: globals (AsyncLocalStorage…) its modules expect at load time.
import "next/dist/server/node-environment";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import next from "next";
import { installClientAddressStamp } from "@/lib/http/client-address";
import { logger } from "@/lib/logger";
import { flushMetricsOnStop } from "@/lib/metrics/flush";
import { fastRoute } from "./fast-paths";
import { loadResponseDressing } from "./next-config";
import { discardRest, toNextRequest, writeResponse } from "./node-bridge";

/** PEM files for HTTPS (settings OPENCMQ_TLS_CERT / OPENCMQ_TLS_KEY). */
export type TlsFiles = { certFile: string; keyFile: string };

/**
 * One app process: a `node:http` server (`node:https` when given a certificate and key) that answers
 * the data plane's paths (fast-paths.ts) by calling their route handlers directly, and hands every
 * other request to Next's request handler (Next's documented custom-server mode). Resolves once
 * listening.
 */
export async function startFrontServer(options: {
  dir: string;
  port: number;
  hostname?: string;
  tls?: TlsFiles | null;
}) {
  // Read before Next starts, so a missing or unreadable file fails the start at once, by name.
  const tls = options.tls ? { cert: readPem(options.tls.certFile), key: readPem(options.tls.keyFile) } : null;
  const app = next({ dev: false, dir: options.dir, port: options.port, hostname: options.hostname });
  const handleWithNext = app.getRequestHandler();
  await app.prepare(); // also runs instrumentation.ts: workers, the client-address stamp
  installClientAddressStamp(); // idempotent; certain before the first request either way
  const dressing = await loadResponseDressing(options.dir);

  const listener: RequestListener = (req, res) => {
    const fast = fastRoute(req.method ?? "GET", req.url ?? "/");
    if (!fast) return void handleWithNext(req, res);
    answer(req, res, fast).catch((error) => {
      logger.error({ err: error }, "fast path failed");
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  };
  const server = tls ? createTlsServer(tls, listener) : createServer(listener);
  // Node closes an idle keep-alive connection after 5 s, the moment a client may reuse it: the client
  // then sees ECONNRESET (seen in CI: a journey's request after 5 s of clicking). Idle connections stay
  // open longer than clients and load balancers keep theirs (60 s is the common idle timeout).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  async function answer(req: IncomingMessage, res: ServerResponse, fast: NonNullable<ReturnType<typeof fastRoute>>) {
    // A client that hangs up mid-request (a long poll given up) aborts the request's signal.
    const response = await fast.handler(toNextRequest(req, res), { params: Promise.resolve(fast.params) });
    const pathname = (req.url ?? "/").split("?", 1)[0] as string;
    dressing.compress(req, res);
    await writeResponse(res, response, dressing.headersFor(pathname));
    discardRest(req);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => resolve());
  });
  return {
    server,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // What this process counted since its last metrics flush is written once answers in flight
      // are done (or after 3 s of waiting for them: the process ends 5 s after the signal).
      await Promise.race([closed, new Promise((r) => setTimeout(r, 3000).unref())]);
      await flushMetricsOnStop();
      await closed;
      await app.close();
    },
  };
}

function readPem(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`cannot read ${file} (OPENCMQ_TLS_CERT / OPENCMQ_TLS_KEY): ${(error as Error).message}`);
  }
}
