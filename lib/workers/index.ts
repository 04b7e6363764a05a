import { logger } from "@/lib/logger";
import { singleton } from "@/lib/singleton";
import { queueStatsWorker } from "./queue-stats";
import { retentionWorker } from "./retention";
import { startWorker } from "./worker";

/** Starts the background workers once per process (called from instrumentation.ts). */
export function startWorkers(): void {
  singleton("workers", () => {
    const stops = [retentionWorker, queueStatsWorker].map(startWorker);
    logger.info("background workers started: retention, queue-stats");
    return stops;
  });
}
