// `node <distDir>/front/server.js` (compiled from this file by scripts/build-front.mjs): the service
// on one port, in OPENCMQ_PROCESSES app processes. scripts/start.ts runs it after migrating.
import cluster from "node:cluster";
import { runProcesses } from "./cluster";

// A custom server must say it is the production server before Next loads (next start does the same).
(process.env as Record<string, string>).NODE_ENV ??= "production";

const port = Number(process.env.PORT ?? 3000);
const processes = Number(process.env.OPENCMQ_PROCESSES ?? 1);

async function serve() {
  const { startFrontServer } = await import("./server");
  const { logger } = await import("@/lib/logger");
  const front = await startFrontServer({ dir: process.cwd(), port });
  logger.info({ port }, "serving");
  const stop = () => {
    // Stop accepting, let answers in flight finish (long polls end within 30 s), then leave.
    setTimeout(() => process.exit(0), 5000).unref();
    front.close().finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

if (processes > 1 && cluster.isPrimary) runProcesses(processes);
else
  serve().catch((error) => {
    console.error(`[opencmq] the server failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
