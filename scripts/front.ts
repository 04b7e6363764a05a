// `node <distDir>/front/server.js` (compiled from this file by scripts/build-front.mjs): the service
// on one port, in OPENCMQ_PROCESSES app processes. scripts/start.ts runs it after migrating.
import cluster from "node:cluster";
import { fillInAuthOrigin, settingsOrExit } from "@/lib/config";
import { runProcesses } from "@/lib/front/cluster";

// A custom server must say it is the production server before Next and React load (as next start does).
(process.env as Record<string, string>).NODE_ENV ??= "production";
const config = settingsOrExit();
fillInAuthOrigin(); // without NEXTAUTH_URL, console redirects follow the host each request reached

async function serve() {
  const { startFrontServer } = await import("@/lib/front/server");
  const { logger } = await import("@/lib/logger");
  const front = await startFrontServer({ dir: process.cwd(), port: config.port, tls: config.tls });
  logger.info({ port: config.port, protocol: config.tls ? "https" : "http" }, "serving");
  const stop = () => {
    // Stop accepting, give answers in flight a moment (long polls end within 30 s), then leave.
    setTimeout(() => process.exit(0), 5000).unref();
    front.close().finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

if (config.processes > 1 && cluster.isPrimary) runProcesses(config.processes);
else
  serve().catch((error) => {
    console.error(`[opencmq] the server failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
