import { settings } from "@/lib/config";
import { deleteOldMetricRows, deleteOrphanTotals, rollUpHours } from "@/lib/store/metrics";
import type { Worker } from "./worker";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Minute rows are kept this long (the series answer ranges up to 48 h from them). */
export const MINUTE_RETENTION_MS = 2 * DAY_MS;
/** Flushes write into the current minute only; an hour is final once its last flush has committed. */
const SETTLE_MS = 60_000;
const DELETE_BATCH = 10_000;
/** A tick deletes for at most this long, then leaves the rest to the next tick. */
const DELETE_BUDGET_MS = 1000;

/**
 * Rolls complete hours of per-minute series up into hourly rows, and applies retention (minute rows
 * 2 days, hourly rows OPENCMQ_METRICS_RETENTION_DAYS), once across all processes. Progress (the end
 * of the last hour rolled up) lives in worker_state, so whichever process ticks continues it.
 */
export const metricsRollupWorker: Worker = {
  name: "metrics-rollup",
  lockKey: 727_108,
  intervalMs: 60_000,
  async tick(db) {
    const now = Date.now();
    const target = Math.floor((now - SETTLE_MS) / HOUR_MS) * HOUR_MS;
    const { rows } = await db.query<{ cursor: string }>(
      "SELECT cursor::text FROM worker_state WHERE name = 'metrics-rollup'",
    );
    const done = Number(rows[0]?.cursor ?? 0);
    if (done < target) {
      const from = Math.max(done, target - MINUTE_RETENTION_MS);
      await rollUpHours(db, new Date(from), new Date(target));
      await db.query(
        `INSERT INTO worker_state (name, cursor, updated_at) VALUES ('metrics-rollup', $1, now())
         ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
        [target],
      );
    }
    const retentionMs = settings().metricsRetentionDays * DAY_MS;
    const deadlines: [Parameters<typeof deleteOldMetricRows>[1], number][] = [
      ["metric_minute", now - MINUTE_RETENTION_MS],
      ["metric_api_minute", now - MINUTE_RETENTION_MS],
      ["metric_hour", now - retentionMs],
      ["metric_api_hour", now - retentionMs],
      ["metric_tick", now - retentionMs],
    ];
    const started = Date.now();
    for (const [table, before] of deadlines) {
      while (Date.now() - started < DELETE_BUDGET_MS) {
        if ((await deleteOldMetricRows(db, table, new Date(before), DELETE_BATCH)) < DELETE_BATCH) break;
      }
    }
    await deleteOrphanTotals(db, 1000);
    return undefined;
  },
};
