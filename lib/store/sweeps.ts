import type pg from "pg";

type Queryable = Pick<pg.PoolClient, "query">;

// Background sweeps. Each is bounded per call and idempotent, so any process may run it any
// number of times; workers serialise them across processes with an advisory lock.

/**
 * Removes messages past their queue's retention among the next `batch` rows after `afterId` in
 * primary-key order (ids grow with enqueue time). The scan is bounded whatever it finds; callers
 * keep the returned cursor and wrap to 0 at the end. Rows a receiver holds locked are waited for
 * briefly by the DELETE, then removed if still expired.
 */
export async function sweepExpiredMessages(db: Queryable, afterId: string, batch: number) {
  const { rows } = await db.query<{ last_id: string | null; scanned: number; deleted: number }>({
    name: "sweep_expired",
    text: `WITH scanned AS (
             SELECT id, queue_id, enqueued_at FROM message WHERE id > $1 ORDER BY id LIMIT $2
           ), expired AS (
             DELETE FROM message m USING scanned s, queue q
             WHERE m.id = s.id AND q.id = s.queue_id
               AND s.enqueued_at <= now() - q.msg_retention_seconds * interval '1 second'
             RETURNING m.id
           )
           SELECT (SELECT max(id)::text FROM scanned) AS last_id,
                  (SELECT count(*)::int FROM scanned) AS scanned,
                  (SELECT count(*)::int FROM expired) AS deleted`,
    values: [afterId, batch],
  });
  const row = rows[0] ?? { last_id: null, scanned: 0, deleted: 0 };
  return { nextCursor: row.last_id ?? "0", scanned: row.scanned, deleted: row.deleted, wrapped: row.scanned < batch };
}

/**
 * Whether the first message after `afterId` in primary-key order (the oldest, as ids grow with
 * enqueue time) is older than the shortest retention of any queue. When it is not, no message can
 * have expired yet and the retention walk can rest. One PK index probe and a scan of the small queue table.
 */
export async function oldestMessageMayHaveExpired(db: Queryable, afterId = "0"): Promise<boolean> {
  const { rows } = await db.query<{ due: boolean }>({
    name: "oldest_message_due",
    text: `SELECT coalesce((
             SELECT m.enqueued_at <= now() - (SELECT min(msg_retention_seconds) FROM queue) * interval '1 second'
             FROM message m WHERE m.id > $1 ORDER BY m.id LIMIT 1
           ), false) AS due`,
    values: [afterId],
  });
  return rows[0]?.due ?? false;
}

/**
 * Recomputes counts of every queue that holds at least `minTotal` messages into queue_stats, and
 * drops the rows of queues that have shrunk below it (they are counted per request again, and their
 * old figures must not keep enforcing maxMsgHeapNum). One pass over the table.
 */
export async function refreshQueueStats(db: Queryable, minTotal: number): Promise<number> {
  const { rows } = await db.query<{ refreshed: number }>(
    `WITH counted AS (
       SELECT queue_id,
              count(*) AS total,
              count(*) FILTER (WHERE visible_at <= now()) AS visible,
              count(*) FILTER (WHERE visible_at > now() AND dequeue_count > 0) AS in_flight,
              count(*) FILTER (WHERE visible_at > now() AND dequeue_count = 0) AS delayed,
              min(enqueued_at) AS oldest
       FROM message GROUP BY queue_id HAVING count(*) >= $1
     ), upserted AS (
       INSERT INTO queue_stats (queue_id, total, visible, in_flight, delayed, oldest_enqueued_at, computed_at)
       SELECT c.queue_id, c.total, c.visible, c.in_flight, c.delayed, c.oldest, now()
       FROM counted c JOIN queue q ON q.id = c.queue_id
       ON CONFLICT (queue_id) DO UPDATE SET total = excluded.total, visible = excluded.visible,
         in_flight = excluded.in_flight, delayed = excluded.delayed,
         oldest_enqueued_at = excluded.oldest_enqueued_at, computed_at = excluded.computed_at
       RETURNING queue_id
     ), dropped AS (
       DELETE FROM queue_stats WHERE queue_id NOT IN (SELECT queue_id FROM upserted)
     )
     SELECT count(*)::int AS refreshed FROM upserted`,
    [minTotal],
  );
  return rows[0]?.refreshed ?? 0;
}
