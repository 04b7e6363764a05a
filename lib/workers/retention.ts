import { oldestMessageMayHaveExpired, sweepExpiredMessages } from "@/lib/store/sweeps";
import type { Worker } from "./worker";

const BATCH = 5000;
/** A walk starts at least this often even when the oldest message looks young (belt and braces). */
const WALK_AT_LEAST_EVERY_MS = 10 * 60_000;

let cursor = "0";
let lastWalkStartedAt = 0;

/**
 * Walks the message table in id order, BATCH rows a tick, deleting what outlived its queue's
 * retention. A walk starts only when the oldest message is older than the shortest retention (or ten
 * minutes have passed): a large backlog with nothing expired is not re-read every few seconds.
 */
export const retentionWorker: Worker = {
  name: "retention",
  lockKey: 727_101,
  intervalMs: 1000,
  async tick(db) {
    if (cursor === "0") {
      const walkIsDue = Date.now() - lastWalkStartedAt >= WALK_AT_LEAST_EVERY_MS;
      if (!walkIsDue && !(await oldestMessageMayHaveExpired(db))) return undefined;
      lastWalkStartedAt = Date.now();
    }
    const result = await sweepExpiredMessages(db, cursor, BATCH);
    cursor = result.wrapped ? "0" : result.nextCursor;
    // Hurry on only while the walk is finding expired rows; otherwise one step a second (a backlog
    // with nothing expired must not keep Postgres re-walking it — measured at ~10% of a core).
    return result.deleted > 0 && !result.wrapped ? 50 : undefined;
  },
};
