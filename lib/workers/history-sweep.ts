import { sweepExpiredHistory } from "@/lib/store/history";
import type { Worker } from "./worker";

const BATCH = 5000;

/**
 * Drops message_history rows that have left their queue's rewind window — all of a queue's rows
 * once its rewind is turned off. The counts and RewindQueue already ignore such rows (they read
 * the window from the queue), so this only reclaims space: BATCH rows a statement, hurrying on
 * while it finds full batches, resting a few seconds otherwise.
 */
export function createHistorySweepWorker(batch = BATCH): Worker {
  return {
    name: "history-sweep",
    lockKey: 727_103,
    intervalMs: 5000,
    async tick(db) {
      const dropped = await sweepExpiredHistory(db, batch);
      return dropped >= batch ? 50 : undefined;
    },
  };
}

export const historySweepWorker = createHistorySweepWorker();
