// Next's own server loads this first: globals (AsyncLocalStorage…) its modules expect at load time.
import "next/dist/server/node-environment";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import next from "next";
import { installClientAddressStamp } from "@/lib/http/client-address";
import { logger } from "@/lib/logger";
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
      await new Promise<void>((resolve) => server.close(() => resolve()));
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
