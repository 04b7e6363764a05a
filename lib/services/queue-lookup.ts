import { LRUCache } from "lru-cache";
import { getPool } from "@/lib/db/pool";
import { AppError } from "@/lib/errors";
import { singleton } from "@/lib/singleton";
import type { DeadLetterPolicy } from "@/lib/store/dead-letters";

// Every message call needs its queue's id and attributes. They are read once and kept for a
// moment in process memory: changes made in this process invalidate at once; other processes
// see them within CACHE_MS (documented in ARCHITECTURE.md).

export type QueueRecord = {
  id: string;
  accountId: string;
  name: string;
  visibilityTimeout: number;
  pollingWaitSeconds: number;
  maxMsgSize: number;
  msgRetentionSeconds: number;
  maxMsgHeapNum: number;
  /** > 0: deletes keep messages in message_history for this long (rewind). */
  rewindSeconds: number;
  /** Backlog as of the last stats sweep; only large queues have one. */
  sweptTotal: number | null;
  /** The queue's dead-letter policy, if bound: receives then take the dead-letter statement. */
  deadLetter: DeadLetterPolicy | null;
};

const CACHE_MS = 2000;
// Bounded, so records of deleted queues (or of many accounts) cannot pile up.
const cache = singleton(
  "queueRecordsLru",
  () => new LRUCache<string, { record: QueueRecord; at: number }>({ max: 10_000 }),
);
const keyOf = (accountId: string, name: string) => `${accountId}\u0000${name.toLowerCase()}`;

export async function getQueueRecordOrThrow(accountId: string, name: string): Promise<QueueRecord> {
  const key = keyOf(accountId, name);
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.record;
  // Misses are not cached: a queue created by another process is usable at once.
  const record = await loadQueueRecord(accountId, name);
  if (record) cache.set(key, { record, at: Date.now() });
  else cache.delete(key);
  if (!record) throw new AppError("QUEUE_NOT_FOUND", `Queue "${name}" does not exist.`);
  return record;
}

export function forgetQueueRecord(accountId: string, name: string): void {
  cache.delete(keyOf(accountId, name));
}

async function loadQueueRecord(accountId: string, name: string): Promise<QueueRecord | null> {
  const { rows } = await getPool().query({
    name: "load_queue_record",
    text: `SELECT q.id::text, q.account_id, q.name, q.visibility_timeout, q.polling_wait_seconds,
                  q.max_msg_size, q.msg_retention_seconds, q.max_msg_heap_num::float8 AS max_msg_heap_num,
                  q.rewind_seconds,
                  s.total::float8 AS swept_total, q.dead_letter_queue_id::text,
                  CASE WHEN q.dead_letter_policy = 0 THEN q.max_receive_count END AS dead_letter_max_receives,
                  CASE WHEN q.dead_letter_policy = 1 THEN q.max_time_to_live END AS dead_letter_ttl
           FROM queue q LEFT JOIN queue_stats s ON s.queue_id = q.id
           WHERE q.account_id = $1 AND lower(q.name) = lower($2)`,
    values: [accountId, name],
  });
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    visibilityTimeout: row.visibility_timeout,
    pollingWaitSeconds: row.polling_wait_seconds,
    maxMsgSize: row.max_msg_size,
    msgRetentionSeconds: row.msg_retention_seconds,
    maxMsgHeapNum: row.max_msg_heap_num,
    rewindSeconds: row.rewind_seconds,
    sweptTotal: row.swept_total,
    deadLetter: row.dead_letter_queue_id
      ? {
          deadLetterQueueId: row.dead_letter_queue_id,
          maxReceiveCount: row.dead_letter_max_receives,
          maxTimeToLive: row.dead_letter_ttl,
        }
      : null,
  };
}
