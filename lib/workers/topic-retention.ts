import { sweepExpiredTopicMessages } from "@/lib/store/topic-retention";
import type { Worker } from "./worker";

const BATCH = 1000;

/**
 * Drops topic messages past their topic's retention (CMQ keeps them a day) with their pushes and
 * attempts, BATCH rows a statement; hurries on while whole batches expire, else looks every 10 s.
 */
export function createTopicRetentionWorker(batch = BATCH): Worker {
  return {
    name: "topic-retention",
    lockKey: 727_106,
    intervalMs: 10_000,
    async tick(db) {
      const deleted = await sweepExpiredTopicMessages(db, batch);
      return deleted >= batch ? 50 : undefined;
    },
  };
}

export const topicRetentionWorker = createTopicRetentionWorker();
