import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import {
  compareIds,
  type LeaseResult,
  leasePickedSql,
  type MessageRow,
  nextVisibleSql,
  pickVisibleSql,
} from "./messages";

type Queryable = Pick<pg.PoolClient, "query">;

// Moving messages to their queue's dead-letter queue (issue 10). A move is one UPDATE of the row's
// queue_id, so a message is in exactly one queue at every moment: never both, never neither. Ids
// never change. What a move writes (docs: issue10-contract.md):
//   queue_id = DLQ, visible_at = now(), dead_from_queue_id = origin, dead_reason, dead_at = now(),
//   dead_dequeue_count = the old dequeue_count, dequeue_count = 0, receipt = NULL,
//   first_dequeued_at = NULL; enqueued_at is kept (retention counts from the first send, as SQS).
const moveToDeadLetter = (
  dlq: string,
  reason: string,
) => `queue_id = ${dlq}, visible_at = now(), dead_from_queue_id = m.queue_id,
       dead_reason = ${reason}, dead_at = now(), dead_dequeue_count = m.dequeue_count,
       dequeue_count = 0, receipt = NULL, first_dequeued_at = NULL`;

/** A queue's dead-letter policy as the receive applies it: the field of the other policy is null. */
export type DeadLetterPolicy = {
  deadLetterQueueId: string;
  /** Policy 0: a message received this many times moves on its next receive. */
  maxReceiveCount: number | null;
  /** Policy 1: a message enqueued longer ago than this (seconds) moves. */
  maxTimeToLive: number | null;
};

/** A lease on a queue with a dead-letter queue: what it leased, and how many it moved to the DLQ. */
export type DeadLetterLeaseResult = LeaseResult & { moved: number };

// A picked row crosses the policy when this receive would be one too many ($6, policy 0) or it is
// older than maxTimeToLive ($7, policy 1); the other policy's parameter is NULL, so its test is
// never true. The two UPDATEs take complementary sets of the picked rows, by the locked rows' own
// values. LIMIT (SELECT …) and id = ANY (ARRAY(…)) keep one generic plan (messages.ts, top).
const crossesPolicy = `(coalesce(m.dequeue_count >= $6::int, false)
                 OR coalesce(m.enqueued_at <= now() - $7::int * interval '1 second', false))`;

/** leaseMessagesWithDeadLetter's statement: leaseMessagesSql's $1–$4, $5 the DLQ, $6/$7 the policy. */
export const leaseMessagesWithDeadLetterSql = `WITH ${pickVisibleSql}, moved AS (
             UPDATE message m SET ${moveToDeadLetter("$5", `CASE WHEN coalesce(m.dequeue_count >= $6::int, false) THEN 'maxReceiveCount' ELSE 'maxTimeToLive' END`)}
             WHERE m.id = ANY (ARRAY(SELECT id FROM picked)) AND ${crossesPolicy}
             RETURNING m.id
           ), ${leasePickedSql(`NOT ${crossesPolicy}`)}, ${nextVisibleSql}
           SELECT leased.*, next.next_visible_in_ms, (SELECT count(*)::int FROM moved) AS moved
           FROM next LEFT JOIN leased ON true`;

/**
 * leaseMessages (lib/store/messages.ts) for a queue bound to a dead-letter queue; queues without one
 * never run this. The same pick — FOR UPDATE SKIP LOCKED on message_dequeue_idx, so concurrent
 * receivers never pick the same row and never wait for each other — and, in the same statement,
 * the picked rows that would cross the policy move to the DLQ instead of being leased:
 *   policy 0: dequeue_count >= maxReceiveCount (this receive would be the maxReceiveCount+1-th);
 *   policy 1: enqueued_at older than maxTimeToLive.
 * The rest are leased as usual. Both UPDATEs touch only rows this statement holds locked, so a move
 * and a lease never interleave with another receiver, a delete by receipt or the TTL sweep on the
 * same row. The policy comes from the queue record (cached ≤ 2 s, like every attribute): reading the
 * queue row here instead measured ~10% more Postgres CPU per message (a 1.20× receive+delete against
 * 1.02–1.16× for this form). If the DLQ was deleted meanwhile, the move's foreign key refuses the
 * whole statement (nothing changed) and the service re-reads the queue (lib/services/messages.ts).
 *
 * The "next visible" figure is as leaseMessages's, but rows moved by this statement still count in
 * it (same snapshot): callers that moved some look again before they wait.
 */
export async function leaseMessagesWithDeadLetter(
  queueId: string,
  max: number,
  visibilityTimeout: number,
  retentionSeconds: number,
  policy: DeadLetterPolicy,
): Promise<DeadLetterLeaseResult> {
  const { rows } = await getPool().query<
    MessageRow & { id: string | null; next_visible_in_ms: number | null; moved: number }
  >({
    name: "lease_messages_dead_letter",
    text: leaseMessagesWithDeadLetterSql,
    values: [
      queueId,
      max,
      visibilityTimeout,
      retentionSeconds,
      policy.deadLetterQueueId,
      policy.maxReceiveCount,
      policy.maxTimeToLive,
    ],
  });
  const moved = rows[0]?.moved ?? 0;
  const leased = rows.filter((r): r is typeof r & { id: string } => r.id !== null);
  if (leased.length > 0) {
    return { rows: leased.sort((a, b) => compareIds(a.id, b.id)), nextVisibleInMs: null, moved };
  }
  return { rows: [], nextVisibleInMs: rows[0]?.next_visible_in_ms ?? null, moved };
}

/**
 * Policy 1's sweep: moves visible messages older than their queue's maxTimeToLive, for every queue
 * with that policy, without waiting for a receive. Bounded: for each such queue it reads only the
 * first `walk` entries of message_dequeue_idx (the head, where idle messages sit in enqueue order)
 * and moves the expired ones among them; it never scans a queue. Rows a receiver holds are skipped
 * (SKIP LOCKED; the receive moves them itself if they are due) and the locking SELECT re-checks each
 * row, so one moved or re-leased meanwhile is left alone. Returns the moves per DLQ.
 */
export async function sweepTimeToLive(db: Queryable, walk: number): Promise<{ dlq: string; moved: number }[]> {
  const { rows } = await db.query<{ dlq: string; moved: number }>({
    name: "sweep_dead_letter_ttl",
    text: `WITH head AS (
             SELECT h.id FROM queue q
             CROSS JOIN LATERAL (
               SELECT id, enqueued_at FROM message
               WHERE queue_id = q.id AND visible_at <= now()
               ORDER BY visible_at, id LIMIT $1
             ) h
             WHERE q.dead_letter_policy = 1
               AND h.enqueued_at <= now() - q.max_time_to_live * interval '1 second'
           ), d AS (
             SELECT m.id, q.dead_letter_queue_id AS dlq, 'maxTimeToLive' AS reason
             FROM message m JOIN queue q ON q.id = m.queue_id
             WHERE m.id IN (SELECT id FROM head)
               AND q.dead_letter_policy = 1 AND m.visible_at <= now()
               AND m.enqueued_at <= now() - q.max_time_to_live * interval '1 second'
             FOR UPDATE OF m SKIP LOCKED
           ), moved AS (
             UPDATE message m SET ${moveToDeadLetter("d.dlq", "d.reason")}
             FROM d WHERE m.id = d.id
             RETURNING m.queue_id
           )
           SELECT queue_id::text AS dlq, count(*)::int AS moved FROM moved GROUP BY queue_id`,
    values: [walk],
  });
  return rows;
}
