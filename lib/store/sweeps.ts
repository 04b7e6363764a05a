import type pg from "pg";
import type { CountRow } from "./inspect";

type Queryable = Pick<pg.PoolClient, "query">;

// Background sweeps. Each is bounded per call and idempotent, so any process may run it any
// number of times; workers serialise them across processes with an advisory lock. Every statement
// here is its own short transaction: none holds a snapshot across a whole-table pass.

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

/** A walk starts at least this often even when the oldest message looks young (belt and braces). */
const WALK_AT_LEAST_EVERY = "10 minutes";

/** Where the installation's retention walk stands: its cursor, and whether a new walk is due by time. */
export async function readRetentionWalk(db: Queryable): Promise<{ cursor: string; isWalkDue: boolean }> {
  const { rows } = await db.query<{ cursor: string; is_walk_due: boolean }>({
    name: "retention_walk_read",
    text: `SELECT cursor::text,
                  (walk_started_at IS NULL OR walk_started_at <= now() - interval '${WALK_AT_LEAST_EVERY}') AS is_walk_due
           FROM worker_state WHERE name = 'retention'`,
    values: [],
  });
  return { cursor: rows[0]?.cursor ?? "0", isWalkDue: rows[0]?.is_walk_due ?? true };
}

/** Saves the walk's cursor (and, when a walk starts, when it started: the database's clock). */
export async function saveRetentionWalk(db: Queryable, cursor: string, isStarting: boolean): Promise<void> {
  await db.query({
    name: "retention_walk_save",
    text: `INSERT INTO worker_state (name, cursor, walk_started_at, updated_at)
           VALUES ('retention', $1, CASE WHEN $2 THEN now() END, now())
           ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at,
             walk_started_at = coalesce(excluded.walk_started_at, worker_state.walk_started_at)`,
    values: [cursor, isStarting],
  });
}

type QueueCounts = {
  total: number;
  visible: number;
  inFlight: number;
  delayed: number;
  dead: number;
  oldest: Date | null;
};

/**
 * Recomputes counts of every queue that holds at least `minTotal` messages into queue_stats, and
 * drops the rows of queues that have shrunk below it (they are counted per request again, and their
 * old figures must not keep enforcing maxMsgHeapNum). Walks the table in primary-key order,
 * `chunkRows` rows per statement, each statement its own transaction: vacuum is never held back
 * for the length of the pass. Chunks are counted at slightly different moments, which suits
 * figures that are approximate anyway (each message is counted once: chunks do not overlap).
 * `afterChunk` runs between chunks (tests look at the connection there).
 */
export async function refreshQueueStats(
  db: Queryable,
  minTotal: number,
  options: { chunkRows?: number; afterChunk?: () => Promise<void> } = {},
): Promise<number> {
  const chunkRows = options.chunkRows ?? 50_000;
  const counts = new Map<string, QueueCounts>();
  let after = "0";
  for (;;) {
    const { rows } = await db.query<CountRow & { last_id: string; scanned: number }>({
      name: "queue_stats_chunk",
      text: `WITH chunk AS (
               SELECT id, queue_id, visible_at, dequeue_count, enqueued_at, dead_at FROM message
               WHERE id > $1 ORDER BY id LIMIT $2
             )
             SELECT queue_id::text,
                    count(*)::int AS total,
                    count(*) FILTER (WHERE visible_at <= now())::int AS visible,
                    count(*) FILTER (WHERE visible_at > now() AND dequeue_count > 0)::int AS in_flight,
                    count(*) FILTER (WHERE visible_at > now() AND dequeue_count = 0)::int AS delayed,
                    count(*) FILTER (WHERE dead_at IS NOT NULL)::int AS dead,
                    min(enqueued_at) AS oldest,
                    (SELECT max(id) FROM chunk)::text AS last_id,
                    (SELECT count(*) FROM chunk)::int AS scanned
             FROM chunk GROUP BY queue_id`,
      values: [after, chunkRows],
    });
    for (const r of rows) {
      const c = counts.get(r.queue_id) ?? { total: 0, visible: 0, inFlight: 0, delayed: 0, dead: 0, oldest: null };
      c.total += r.total;
      c.visible += r.visible;
      c.inFlight += r.in_flight;
      c.delayed += r.delayed;
      c.dead += r.dead;
      if (r.oldest && (!c.oldest || r.oldest < c.oldest)) c.oldest = r.oldest;
      counts.set(r.queue_id, c);
    }
    const first = rows[0];
    if (!first || first.scanned < chunkRows) break;
    after = first.last_id;
    await options.afterChunk?.();
  }
  const rewindable = await countHistoryInWindow(db, chunkRows, options.afterChunk);
  for (const queueId of rewindable.keys()) {
    if (!counts.has(queueId))
      counts.set(queueId, { total: 0, visible: 0, inFlight: 0, delayed: 0, dead: 0, oldest: null });
  }
  const large = [...counts].filter(([id, c]) => c.total >= minTotal || (rewindable.get(id) ?? 0) >= minTotal);
  const { rows } = await db.query<{ refreshed: number }>({
    name: "queue_stats_save",
    text: `WITH counted AS (
             SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::timestamptz[],
                                  $7::bigint[], $8::bigint[])
               AS c(queue_id, total, visible, in_flight, delayed, oldest, dead, rewindable)
           ), upserted AS (
             INSERT INTO queue_stats (queue_id, total, visible, in_flight, delayed, dead, rewindable, oldest_enqueued_at, computed_at)
             SELECT c.queue_id, c.total, c.visible, c.in_flight, c.delayed, c.dead, c.rewindable, c.oldest, now()
             FROM counted c JOIN queue q ON q.id = c.queue_id
             ON CONFLICT (queue_id) DO UPDATE SET total = excluded.total, visible = excluded.visible,
               in_flight = excluded.in_flight, delayed = excluded.delayed, dead = excluded.dead,
               rewindable = excluded.rewindable, oldest_enqueued_at = excluded.oldest_enqueued_at,
               computed_at = excluded.computed_at
             RETURNING queue_id
           ), dropped AS (
             DELETE FROM queue_stats WHERE queue_id NOT IN (SELECT queue_id FROM upserted)
           )
           SELECT count(*)::int AS refreshed FROM upserted`,
    values: [
      large.map(([id]) => id),
      large.map(([, c]) => c.total),
      large.map(([, c]) => c.visible),
      large.map(([, c]) => c.inFlight),
      large.map(([, c]) => c.delayed),
      large.map(([, c]) => c.oldest),
      large.map(([, c]) => c.dead),
      large.map(([id]) => rewindable.get(id) ?? 0),
    ],
  });
  return rows[0]?.refreshed ?? 0;
}

/**
 * Rewindable rows (history inside the queue's window) per queue, walking message_history in
 * primary-key order `chunkRows` rows per statement, as refreshQueueStats walks the message table.
 */
async function countHistoryInWindow(
  db: Queryable,
  chunkRows: number,
  afterChunk?: () => Promise<void>,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let after = "0";
  for (;;) {
    const { rows } = await db.query<{ queue_id: string; rewindable: number; last_id: string; scanned: number }>({
      name: "queue_stats_history_chunk",
      text: `WITH chunk AS (
               SELECT id, queue_id, enqueued_at FROM message_history WHERE id > $1 ORDER BY id LIMIT $2
             )
             SELECT c.queue_id::text,
                    count(*) FILTER (WHERE q.rewind_seconds > 0
                      AND c.enqueued_at >= now() - q.rewind_seconds * interval '1 second')::int AS rewindable,
                    (SELECT max(id) FROM chunk)::text AS last_id,
                    (SELECT count(*) FROM chunk)::int AS scanned
             FROM chunk c JOIN queue q ON q.id = c.queue_id GROUP BY c.queue_id`,
      values: [after, chunkRows],
    });
    for (const r of rows) counts.set(r.queue_id, (counts.get(r.queue_id) ?? 0) + r.rewindable);
    const first = rows[0];
    if (!first || first.scanned < chunkRows) break;
    after = first.last_id;
    await afterChunk?.();
  }
  return counts;
}
