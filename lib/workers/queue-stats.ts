import { markQueuesCounted } from "@/lib/store/metrics";
import { refreshQueueStats } from "@/lib/store/sweeps";
import type { Worker } from "./worker";

const MIN_INTERVAL_MS = 5000;
const MAX_INTERVAL_MS = 60_000;

/**
 * Recounts every queue that holds messages (queue_stats), spending at most ~1% of the time counting
 * (a 100k-message table takes ~0.2 s: recounted every 20 s), and recounting at least every minute.
 * These figures are what lists, the gauge sampler, sorting and /metrics read without scanning
 * (lib/store/metrics.ts approximateCountsSql); after each pass the send/receive/delete counters
 * flushed so far become the base those figures move on from. Requests still count small queues
 * exactly (lib/services/queue-counts.ts).
 */
export const queueStatsWorker: Worker = {
  name: "queue-stats",
  lockKey: 727_102,
  intervalMs: MIN_INTERVAL_MS,
  async tick(db) {
    const started = Date.now();
    await refreshQueueStats(db, 1);
    await markQueuesCounted(db);
    return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, (Date.now() - started) * 100));
  },
};
