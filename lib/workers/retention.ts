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
    // Keep going without a pause while a full sweep finds work; rest at the end of a pass.
    return result.wrapped ? undefined : 50;
  },
};
