import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import type { Prisma } from "@/lib/generated/prisma/client";

type Queryable = Pick<pg.PoolClient, "query">;

// message_history: the deleted messages of queues with rewind on (rewind_seconds > 0), moved here by
// the delete's own statement (messages.ts keepDeleted). A row is rewindable while its enqueued_at
// lies inside its queue's window, now() - rewind_seconds; older rows wait for the history sweep.
// Everything here reads the window from the queue row itself, so turning rewind off (0) empties the
// window at once: the counts say 0 and rewind finds nothing, before the sweep has reclaimed a row.

/** Rows a rewind moves per statement (each its own short transaction). */
export const rewindBatchRows = 5000;

/**
 * Moves up to `limit` history rows of the queue enqueued at or after `from` back into `message`,
 * oldest first, as visible with visible_at = enqueued_at, so the dequeue order (visible_at, id) is
 * production order. Rows deleted after `deletedBefore` (the rewind's start, by the database's clock)
 * are not taken: a consumer deleting what this rewind re-delivered cannot feed it forever.
 * FOR UPDATE SKIP LOCKED: a concurrent rewind or sweep holding a row is never waited for (a swept
 * row is outside the window; a row another rewind holds is moved by it). The DELETE and the INSERT
 * are one statement: a row is never in both tables nor in neither.
 */
export async function rewindHistoryBatch(
  tx: Prisma.TransactionClient,
  options: { queueId: string; from: Date; deletedBefore: Date; limit: number },
): Promise<number> {
  // In the caller's transaction (Prisma's), so the last batch can commit with the audit row.
  const rows = await tx.$queryRawUnsafe<{ moved: number }[]>(
    `WITH picked AS (
       SELECT id FROM message_history
       WHERE queue_id = $1::bigint AND enqueued_at >= $2::timestamptz AND deleted_at <= $3::timestamptz
       ORDER BY enqueued_at, id
       LIMIT $4::int
       FOR UPDATE SKIP LOCKED
     ), moved AS (
       DELETE FROM message_history h USING picked WHERE h.id = picked.id RETURNING h.*
     ), restored AS (
       INSERT INTO message (id, queue_id, body, tags, enqueued_at, visible_at, dequeue_count,
                            first_dequeued_at, receipt, first_enqueued_at, dead_from_queue_id,
                            dead_reason, dead_at, dead_dequeue_count, redrive_count)
       SELECT id, queue_id, body, tags, enqueued_at, enqueued_at, 0, NULL, NULL, first_enqueued_at,
              dead_from_queue_id, dead_reason, dead_at, dead_dequeue_count, redrive_count
       FROM moved
       RETURNING id
     )
     SELECT count(*)::int AS moved FROM restored`,
    options.queueId,
    options.from,
    options.deletedBefore,
    options.limit,
  );
  return rows[0]?.moved ?? 0;
}

/** The database's clock: rewinds bound their work by it, not by the app's. */
export async function databaseNow(db: Queryable = getPool()): Promise<Date> {
  const { rows } = await db.query<{ now: Date }>({ name: "database_now", text: "SELECT now() AS now", values: [] });
  return rows[0]?.now ?? new Date();
}

/**
 * Drops up to `limit` history rows that have left their queue's window (all of a queue's rows once
 * its rewind is off), oldest first per queue through message_history_rewind_idx. Walks the queues
 * with one index probe each; SKIP LOCKED leaves rows a rewind is moving to it. Returns the count.
 */
export async function sweepExpiredHistory(db: Queryable, limit: number): Promise<number> {
  const { rows } = await db.query<{ dropped: number }>({
    name: "sweep_expired_history",
    text: `WITH doomed AS (
             SELECT d.id FROM queue q CROSS JOIN LATERAL (
               SELECT h.id FROM message_history h
               WHERE h.queue_id = q.id AND h.enqueued_at < now() - q.rewind_seconds * interval '1 second'
               ORDER BY h.enqueued_at, h.id
               LIMIT $1
               FOR UPDATE OF h SKIP LOCKED
             ) d
             LIMIT $1
           ), dropped AS (
             DELETE FROM message_history h USING doomed WHERE h.id = doomed.id RETURNING 1
           )
           SELECT count(*)::int AS dropped FROM dropped`,
    values: [limit],
  });
  return rows[0]?.dropped ?? 0;
}

/**
 * Rewindable messages (history rows inside the window) of each queue, each count stopping at `cap`
 * rows, so a request never pays for a long history; a count that reaches `cap` is the stats
 * sweep's to give (queue_stats.rewindable). Plain reads, no locks.
 */
export async function countRewindable(queueIds: string[], cap: number): Promise<Map<string, number>> {
  if (queueIds.length === 0) return new Map();
  const { rows } = await getPool().query<{ queue_id: string; rewindable: number }>({
    name: "count_rewindable",
    text: `SELECT q.id::text AS queue_id, c.rewindable::int
           FROM queue q CROSS JOIN LATERAL (
             SELECT count(*) AS rewindable FROM (
               SELECT 1 FROM message_history h
               WHERE h.queue_id = q.id AND q.rewind_seconds > 0
                 AND h.enqueued_at >= now() - q.rewind_seconds * interval '1 second'
               LIMIT $2
             ) w
           ) c
           WHERE q.id = ANY($1::bigint[])`,
    values: [queueIds, cap],
  });
  return new Map(rows.map((r) => [r.queue_id, r.rewindable]));
}
