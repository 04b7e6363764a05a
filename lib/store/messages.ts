import type pg from "pg";
import { getPool } from "@/lib/db/pool";

// The hot path: every statement here is one round trip, bound parameters, planned once per
// connection (named prepared statements). All of them use message_dequeue_idx
// (queue_id, visible_at, id) or the primary key; see the comment on each for its locking.
//
// Planned once, not per execution: PostgreSQL re-plans a prepared statement on every execution
// ("custom plan") while that looks cheaper than its parameter-blind generic plan — and a LIMIT $n,
// or an unnest($n) whose array length the planner can count, always looks cheaper. Planning a
// receive or a delete cost ~40% of its backend CPU (bench/plan-probe.ts). So these statements hide
// such values behind a sub-select — LIMIT (SELECT $2::int), unnest((SELECT $1::bigint[])) — and
// update picked rows by `id = ANY (ARRAY(SELECT id FROM picked))` (an index probe whatever the
// estimate, where a join could turn into a hash join over the table): the generic plan is then the
// plan every execution would get, and PostgreSQL keeps it after five executions.
// lib/store/generic-plans.test.ts holds every hot statement to that.

export type MessageRow = {
  id: string;
  body: string;
  tags: string[];
  enqueued_at: Date;
  first_dequeued_at: Date | null;
  visible_at: Date;
  dequeue_count: number;
  receipt: string | null;
};

export type NewMessage = { body: string; delaySeconds: number; tags: string[] | undefined };

const query = <R extends pg.QueryResultRow>(name: string, text: string, values: unknown[]) =>
  getPool().query<R>({ name, text, values });

/**
 * Inserts a batch of messages in one statement. No row locks beyond the new rows themselves; the
 * sequence hands out ids in input order, so sorting the returned ids restores that order.
 */
export async function insertMessages(queueId: string, messages: NewMessage[]): Promise<string[]> {
  const { rows } = await query<{ id: string }>(
    "insert_messages",
    `INSERT INTO message (queue_id, body, tags, visible_at)
     SELECT $1, b,
            CASE WHEN t IS NULL THEN '{}'::text[] ELSE ARRAY(SELECT jsonb_array_elements_text(t::jsonb)) END,
            now() + d * interval '1 second'
     FROM unnest($2::text[], $3::int[], $4::text[]) AS x(b, d, t)
     RETURNING id`,
    // unnest() would flatten a 2-D array, so each message's tags travel as one JSON text (or NULL).
    [
      queueId,
      messages.map((m) => m.body),
      messages.map((m) => m.delaySeconds),
      messages.map((m) => (m.tags?.length ? JSON.stringify(m.tags) : null)),
    ],
  );
  return rows.map((r) => r.id).sort(compareIds);
}

/** What one receive statement found: the leased rows, or, when it leased none, when to look again. */
export type LeaseResult = {
  rows: MessageRow[];
  /**
   * With no rows: milliseconds, by the database's clock, until the queue's next message becomes
   * visible (null: the queue holds none; <= 0: a visible message exists but another transaction
   * holds it locked). Long polling waits on this relative figure, never on the app's clock.
   */
  nextVisibleInMs: number | null;
};

// The parts every receive statement shares ($1 queue, $2 max, $3 visibility timeout (s),
// $4 retention (s)): the pick, the lease of picked rows (`where` narrows which), and "when is the
// next one" when nothing was leased. lib/store/dead-letters.ts builds its receive from them too.
export const pickVisibleSql = `picked AS (
       SELECT id FROM message
       WHERE queue_id = $1 AND visible_at <= now()
         AND enqueued_at > now() - $4 * interval '1 second'
       ORDER BY visible_at, id
       LIMIT (SELECT $2::int)
       FOR UPDATE SKIP LOCKED
     )`;
export const leasePickedSql = (where = "true") => `leased AS (
       UPDATE message m
       SET visible_at = now() + $3 * interval '1 second',
           dequeue_count = m.dequeue_count + 1,
           first_dequeued_at = coalesce(m.first_dequeued_at, now()),
           receipt = gen_random_uuid()
       WHERE m.id = ANY (ARRAY(SELECT id FROM picked)) AND ${where}
       RETURNING m.id, m.body, m.tags, m.enqueued_at, m.first_dequeued_at, m.visible_at, m.dequeue_count, m.receipt
     )`;
export const nextVisibleSql = `next AS (
       SELECT (extract(epoch FROM min(visible_at) - now()) * 1000)::float8 AS next_visible_in_ms
       FROM message
       WHERE queue_id = $1 AND enqueued_at > now() - $4 * interval '1 second'
         AND NOT EXISTS (SELECT 1 FROM leased)
     )`;

/** leaseMessages's statement. */
export const leaseMessagesSql = `WITH ${pickVisibleSql}, ${leasePickedSql()}, ${nextVisibleSql}
     SELECT leased.*, next.next_visible_in_ms FROM next LEFT JOIN leased ON true`;

/**
 * Leases up to `max` visible messages. The CTE locks candidate rows with FOR UPDATE SKIP LOCKED, so
 * concurrent receivers never block on each other and never pick the same row; the UPDATE then moves
 * visible_at past the lease, which hides the row from every later receive until the lease ends.
 * Messages past the queue's retention are skipped here and removed by the retention sweep.
 *
 * When nothing was leased, the same statement reads the first index entry of the queue (no locks)
 * and answers how long until it becomes visible. Same statement, same now(): a message that comes
 * due between "nothing visible" and "when is the next one" cannot fall between two queries.
 */
export async function leaseMessages(
  queueId: string,
  max: number,
  visibilityTimeout: number,
  retentionSeconds: number,
): Promise<LeaseResult> {
  const { rows } = await query<MessageRow & { id: string | null; next_visible_in_ms: number | null }>(
    "lease_messages",
    leaseMessagesSql,
    [queueId, max, visibilityTimeout, retentionSeconds],
  );
  const leased = rows.filter((r): r is typeof r & { id: string } => r.id !== null);
  if (leased.length > 0) return { rows: leased.sort((a, b) => compareIds(a.id, b.id)), nextVisibleInMs: null };
  return { rows: [], nextVisibleInMs: rows[0]?.next_visible_in_ms ?? null };
}

/** The columns a message keeps in message_history (all of message but its lease: visible_at, receipt). */
export const historyColumns =
  "id, queue_id, body, tags, enqueued_at, first_dequeued_at, dequeue_count, first_enqueued_at, dead_from_queue_id, dead_reason, dead_at, dead_dequeue_count, redrive_count";

/**
 * The INSERT that keeps the rows a DELETE … RETURNING m.* CTE named `deleted` removed. A
 * data-modifying CTE runs to completion whether or not the outer query reads it, inside the
 * DELETE's own statement: both commit or neither does. deleted_at is the statement's now().
 */
export const keepDeleted = (deleted: string, where = "true") =>
  `INSERT INTO message_history (${historyColumns}, deleted_at)
   SELECT ${historyColumns}, now() FROM ${deleted} WHERE ${where}`;

const deleteLeasedWhere = `DELETE FROM message m
     USING unnest((SELECT $2::bigint[]), (SELECT $3::uuid[])) AS h(id, receipt)
     WHERE m.queue_id = $1 AND m.id = h.id AND m.receipt = h.receipt AND m.visible_at > now()`;
/** deleteLeased's statements: $1 queue, $2 ids, $3 receipts. */
export const deleteLeasedSql = `${deleteLeasedWhere} RETURNING m.id, m.receipt`;
export const deleteLeasedKeepSql = `WITH d AS (${deleteLeasedWhere} RETURNING m.*), kept AS (${keepDeleted("d")})
         SELECT id, receipt FROM d`;

/**
 * Deletes messages by (id, receipt) while their lease holds. A row a receiver is re-leasing at
 * this moment is locked by its UPDATE; the DELETE waits, re-checks the receipt, and finds it changed.
 * With `keep` (the queue's rewindSeconds > 0) the same statement moves the deleted rows into
 * message_history (historyColumns), so a message is never in both tables and never in neither.
 */
export async function deleteLeased(
  queueId: string,
  handles: { id: string; receipt: string }[],
  keep = false,
): Promise<Set<string>> {
  const { rows } = await query<{ id: string; receipt: string }>(
    keep ? "delete_leased_keep" : "delete_leased",
    keep ? deleteLeasedKeepSql : deleteLeasedSql,
    [queueId, handles.map((h) => h.id), handles.map((h) => h.receipt)],
  );
  return new Set(rows.map((r) => `${r.id}:${r.receipt}`));
}

/** Orders decimal id strings numerically. */
export const compareIds = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
