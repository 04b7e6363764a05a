import { sweepExpiredMessages } from "@/lib/store/sweeps";
import type { Worker } from "./worker";

const BATCH = 5000;
let cursor = "0";

/** Walks the message table in id order, BATCH rows a tick, deleting what outlived its queue's retention. */
export const retentionWorker: Worker = {
  name: "retention",
  lockKey: 727_101,
  intervalMs: 1000,
  async tick(db) {
    const result = await sweepExpiredMessages(db, cursor, BATCH);
    cursor = result.wrapped ? "0" : result.nextCursor;
    // Hurry on only while the walk is finding expired rows; otherwise one step a second (a backlog
    // with nothing expired must not keep Postgres re-walking it — measured at ~10% of a core).
    return result.deleted > 0 && !result.wrapped ? 50 : undefined;
  },
};
