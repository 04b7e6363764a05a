import {
  oldestMessageMayHaveExpired,
  readRetentionWalk,
  saveRetentionWalk,
  sweepExpiredMessages,
} from "@/lib/store/sweeps";
import type { Worker } from "./worker";

const BATCH = 5000;

/**
 * Walks the message table in id order, BATCH rows a tick, deleting what outlived its queue's
 * retention. A walk starts only when the oldest message is older than the shortest retention (or ten
 * minutes have passed): a large backlog with nothing expired is not re-read every few seconds.
 * The cursor lives in the database (worker_state), not in the process: whichever process holds the
 * lock continues the one walk of the installation.
 */
export function createRetentionWorker(batch = BATCH): Worker {
  return {
    name: "retention",
    lockKey: 727_101,
    intervalMs: 1000,
    async tick(db) {
      const walk = await readRetentionWalk(db);
      let cursor = walk.cursor;
      const isStarting = cursor === "0";
      if (isStarting && !walk.isWalkDue && !(await oldestMessageMayHaveExpired(db))) return undefined;
      const result = await sweepExpiredMessages(db, cursor, batch);
      cursor = result.wrapped ? "0" : result.nextCursor;
      await saveRetentionWalk(db, cursor, isStarting);
      // Hurry on only while the walk is finding expired rows; otherwise one step a second (a backlog
      // with nothing expired must not keep Postgres re-walking it — measured at ~10% of a core).
      return result.deleted > 0 && !result.wrapped ? 50 : undefined;
    },
  };
}

export const retentionWorker = createRetentionWorker();
