import { exactCountCap } from "@/lib/services/queues";
import { refreshQueueStats } from "@/lib/store/sweeps";
import type { Worker } from "./worker";

const MIN_INTERVAL_MS = 5000;
const MAX_INTERVAL_MS = 60_000;

/**
 * Counts queues too large to count per request, spending at most ~1% of the time counting (a
 * 100k-message table takes ~0.2 s: recounted every 20 s), and recounting at least every minute. While
 * the whole table (and message_history, for rewindable counts) is far smaller than the cap (Postgres's
 * own row estimates), no queue can be large:
 * the tick then only clears old figures and skips the scan.
 */
export const queueStatsWorker: Worker = {
  name: "queue-stats",
  lockKey: 727_102,
  intervalMs: MIN_INTERVAL_MS,
  async tick(db) {
    const { rows } = await db.query<{ estimate: number }>(
      `SELECT (CASE WHEN bool_or(reltuples < 0) THEN -1 ELSE max(reltuples) END)::float8 AS estimate
       FROM pg_class WHERE oid IN ('message'::regclass, 'message_history'::regclass)`,
    );
    const estimate = rows[0]?.estimate ?? -1;
    if (estimate >= 0 && estimate < exactCountCap / 2) {
      await db.query("DELETE FROM queue_stats");
      return MIN_INTERVAL_MS;
    }
    const started = Date.now();
    await refreshQueueStats(db, exactCountCap);
    return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, (Date.now() - started) * 100));
  },
};
