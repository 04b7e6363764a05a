import { exactCountCap } from "@/lib/services/queues";
import { refreshQueueStats } from "@/lib/store/sweeps";
import type { Worker } from "./worker";

const MIN_INTERVAL_MS = 5000;

/** Counts queues too large to count per request. Spends at most ~5% of the time counting. */
export const queueStatsWorker: Worker = {
  name: "queue-stats",
  lockKey: 727_102,
  intervalMs: MIN_INTERVAL_MS,
  async tick(db) {
    const started = Date.now();
    await refreshQueueStats(db, exactCountCap);
    return Math.max(MIN_INTERVAL_MS, (Date.now() - started) * 20);
  },
};
