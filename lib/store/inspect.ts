import { getPool } from "@/lib/db/pool";
import type { MessageFilter } from "@/lib/schemas/message-filter";
import { filterSql } from "./message-filter";

// Read-only views of the message tables for the console and the queue detail. Plain SELECTs: no
// row locks, no writes, so peeking never delays or changes a delivery, a lease or a counter.

/** A message as peeked (never its receipt): live rows and rewindable (message_history) rows alike. */
export type PeekRow = {
  id: string;
  body: string;
  size_bytes: number;
  body_truncated: boolean;
  state: "visible" | "delayed" | "inFlight" | "rewindable";
  tags: string[];
  enqueued_at: Date;
  first_enqueued_at: Date | null;
  first_dequeued_at: Date | null;
  visible_at: Date | null;
  dequeue_count: number;
  redrive_count: number;
  dead_reason: string | null;
  dead_at: Date | null;
  dead_dequeue_count: number | null;
  dead_from_queue_id: string | null;
  deleted_at: Date | null;
  cursor: string;
};

/** A search walks at most this many messages per page, so a rare match never costs a full scan. */
export const searchWalkLimit = 25_000;
/** …and at most this many body bytes (octet_length, read from the TOAST pointer without fetching the
 * body): 25,000 rows of 1 MiB bodies would otherwise read 25 GB. The first row is always walked. */
export const searchByteBudget = 8 * 1024 * 1024;

export type SearchWalkResult = { rows: number; bytes: number; stoppedBy: "rows" | "bytes" | null };
export type PeekResult = {
  rows: PeekRow[];
  /** With a search: what the page walked; `continueAfter` is where a walk that stopped ended. */
  walk: (SearchWalkResult & { continueAfter: string | null }) | null;
};

/** Live rows page in delivery order (visible_at, id); rewindable rows in production order (enqueued_at, id). */
const orderColumnOf = (table: "message" | "message_history") => (table === "message" ? "visible_at" : "enqueued_at");
const cursorOf = (column: string) => `(((extract(epoch FROM ${column}) * 1000000)::bigint)::text || '-' || id)`;

/** The peeked columns of `table`; `previewChars` null returns the whole body. */
function columnsOf(table: "message" | "message_history", previewChars: number | null) {
  const body = previewChars === null ? `body` : `substr(body, 1, ${previewChars})`;
  const isLive = table === "message";
  return `id, ${body} AS body, octet_length(body) AS size_bytes,
          octet_length(body) > octet_length(${body}) AS body_truncated,
          ${isLive ? `CASE WHEN visible_at <= now() THEN 'visible' WHEN dequeue_count > 0 THEN 'inFlight' ELSE 'delayed' END` : "'rewindable'"} AS state,
          tags, enqueued_at, first_enqueued_at, first_dequeued_at,
          ${isLive ? `visible_at` : "NULL::timestamptz"} AS visible_at,
          dequeue_count, redrive_count, dead_reason, dead_at, dead_dequeue_count,
          dead_from_queue_id, ${isLive ? "NULL::timestamptz" : `deleted_at`} AS deleted_at,
          ${cursorOf(orderColumnOf(table))} AS cursor`;
}

/**
 * One page of `filter`'s messages from a keyset cursor, walking the queue's ordered index
 * (message_dequeue_idx, or message_history_rewind_idx for rewindable ones). Bodies come as previews.
 * A search first walks at most searchWalkLimit rows and searchByteBudget body bytes by the cheap
 * predicates, then matches only those bodies; `walk.continueAfter` tells where to go on.
 */
export async function selectMessagesForPeek(options: {
  queueId: string;
  filter: MessageFilter;
  after?: { micros: string; id: string };
  limit: number;
  previewChars: number;
}): Promise<PeekResult> {
  const { search, ...cheap } = options.filter;
  const values: unknown[] = [];
  const { table, where } = filterSql(options.queueId, cheap, values);
  const order = orderColumnOf(table);
  if (options.after) {
    values.push(options.after.micros, options.after.id);
    where.push(
      `(${order}, id) > ('epoch'::timestamptz + $${values.length - 1}::bigint * interval '1 microsecond', $${values.length}::bigint)`,
    );
  }
  if (!search) {
    values.push(options.limit);
    const { rows } = await getPool().query<PeekRow>(
      `SELECT ${columnsOf(table, options.previewChars)} FROM ${table}
       WHERE ${where.join(" AND ")} ORDER BY ${order}, id LIMIT $${values.length}`,
      values,
    );
    return { rows, walk: null };
  }
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const rowBudget = param(searchWalkLimit);
  const byteBudget = param(searchByteBudget);
  // The body match, from the one filter predicate; unqualified, its columns are the joined row's.
  const matching = filterSql(options.queueId, { state: "all", search }, values).where.join(" AND ");
  const limit = param(options.limit);
  const { rows } = await getPool().query<
    PeekRow & { walk_rows: number; kept_rows: number; kept_bytes: number; last_kept: string | null }
  >(
    `WITH walk AS (
       SELECT id, ${order} AS order_at, octet_length(body)::bigint AS size
       FROM ${table} WHERE ${where.join(" AND ")} ORDER BY ${order}, id LIMIT ${rowBudget}
     ), kept AS ( -- the walk reads no body: octet_length takes the size from the row or its TOAST pointer
       SELECT * FROM (
         SELECT id, order_at, size, sum(size) OVER (ORDER BY order_at, id ROWS UNBOUNDED PRECEDING) AS through
         FROM walk
       ) b WHERE through - size < ${byteBudget}
     ), summary AS (
       SELECT (SELECT count(*) FROM walk)::int AS walk_rows, count(*)::int AS kept_rows,
              coalesce(sum(size), 0)::float8 AS kept_bytes,
              (SELECT ${cursorOf("order_at")} FROM kept ORDER BY order_at DESC, id DESC LIMIT 1) AS last_kept
       FROM kept
     )
     SELECT s.walk_rows, s.kept_rows, s.kept_bytes, s.last_kept, p.*
     FROM summary s LEFT JOIN LATERAL (
       SELECT m.* FROM kept k CROSS JOIN LATERAL (
         -- By primary key, one walked row at a time, so each body is matched once (OFFSET 0 keeps the
         -- planner from scanning the queue and matching every body for every walked row).
         SELECT ${columnsOf(table, options.previewChars)}
         FROM (SELECT * FROM ${table} WHERE id = k.id OFFSET 0) one WHERE ${matching}
       ) m ORDER BY k.order_at, k.id LIMIT ${limit}
     ) p ON true`,
    values,
  );
  const first = rows[0];
  const matches = rows.filter((r) => r.id !== null);
  const walkRows = first?.walk_rows ?? 0;
  const keptRows = first?.kept_rows ?? 0;
  const stoppedBy = keptRows < walkRows ? "bytes" : walkRows >= searchWalkLimit ? "rows" : null;
  return {
    rows: matches,
    walk: {
      rows: keptRows,
      bytes: first?.kept_bytes ?? 0,
      stoppedBy,
      continueAfter: stoppedBy ? (first?.last_kept ?? null) : null,
    },
  };
}

/** One message of the queue with its whole body: live, or kept for rewind. */
export async function selectMessageById(queueId: string, id: string): Promise<PeekRow | null> {
  const live = await getPool().query<PeekRow>(
    `SELECT ${columnsOf("message", null)} FROM message WHERE id = $1 AND queue_id = $2`,
    [id, queueId],
  );
  if (live.rows[0]) return live.rows[0];
  const kept = await getPool().query<PeekRow>(
    `SELECT ${columnsOf("message_history", null)} FROM message_history WHERE id = $1 AND queue_id = $2`,
    [id, queueId],
  );
  return kept.rows[0] ?? null;
}

/** Names of queues by id (a dead message's origin). */
export async function selectQueueNames(ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await getPool().query<{ id: string; name: string }>(
    "SELECT id::text, name FROM queue WHERE id = ANY($1::bigint[])",
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

export type StateCountRow = {
  total: number;
  visible: number;
  in_flight: number;
  delayed: number;
  dead: number;
  rewindable: number;
};

/**
 * A queue's messages per state, each table's scan stopping after `cap` rows (a total equal to `cap`
 * means "at least"; callers then use the stats sweep's figures, as countSmallQueues' callers do).
 */
export async function countQueueStates(queueId: string, cap: number): Promise<StateCountRow> {
  const values: unknown[] = [];
  // Rewindable as the rewindable tab pages them (the one filter: inside the rewind window).
  const kept = filterSql(queueId, { state: "rewindable" }, values);
  values.push(queueId, cap);
  const [queue, limit] = [`$${values.length - 1}`, `$${values.length}`];
  const { rows } = await getPool().query<StateCountRow>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE m.visible_at <= now())::int AS visible,
            count(*) FILTER (WHERE m.visible_at > now() AND m.dequeue_count > 0)::int AS in_flight,
            count(*) FILTER (WHERE m.visible_at > now() AND m.dequeue_count = 0)::int AS delayed,
            count(*) FILTER (WHERE m.dead_at IS NOT NULL)::int AS dead,
            (SELECT count(*)::int FROM (SELECT 1 FROM ${kept.table} WHERE ${kept.where.join(" AND ")} LIMIT ${limit}) h)
              AS rewindable
     FROM (SELECT visible_at, dequeue_count, dead_at FROM message WHERE queue_id = ${queue} LIMIT ${limit}) m`,
    values,
  );
  return rows[0] as StateCountRow;
}

/** The stats sweep's figures for a queue (lib/store/sweeps.ts), when it has counted it. */
export async function selectSweptStates(
  queueId: string,
): Promise<(Omit<StateCountRow, "total"> & { total: number; computed_at: Date }) | null> {
  const { rows } = await getPool().query(
    `SELECT total::float8 AS total, visible::float8 AS visible, in_flight::float8 AS in_flight,
            delayed::float8 AS delayed, dead::float8 AS dead, rewindable::float8 AS rewindable, computed_at
     FROM queue_stats WHERE queue_id = $1`,
    [queueId],
  );
  return rows[0] ?? null;
}

export type CountRow = {
  queue_id: string;
  total: number;
  visible: number;
  in_flight: number;
  delayed: number;
  /** Messages that died elsewhere (dead_at set), whatever their delivery state here. */
  dead: number;
  oldest: Date | null;
};

/**
 * Counts for small queues, exactly and cheaply: each queue's scan stops after `cap` rows, so a
 * request never pays for a large backlog. A queue whose total equals `cap` is too large to count
 * here; callers use the stats sweep's figures for it (lib/store/sweeps.ts).
 */
export async function countSmallQueues(queueIds: string[], cap: number): Promise<Map<string, CountRow>> {
  if (queueIds.length === 0) return new Map();
  const { rows } = await getPool().query<CountRow>({
    name: "count_small_queues",
    text: `SELECT q.id::text AS queue_id, c.total::int, c.visible::int, c.in_flight::int, c.delayed::int, c.dead::int, c.oldest
           FROM unnest($1::bigint[]) AS q(id)
           CROSS JOIN LATERAL (
             SELECT count(*) AS total,
                    count(*) FILTER (WHERE m.visible_at <= now()) AS visible,
                    count(*) FILTER (WHERE m.visible_at > now() AND m.dequeue_count > 0) AS in_flight,
                    count(*) FILTER (WHERE m.visible_at > now() AND m.dequeue_count = 0) AS delayed,
                    count(*) FILTER (WHERE m.dead_at IS NOT NULL) AS dead,
                    min(m.enqueued_at) AS oldest
             FROM (SELECT visible_at, dequeue_count, enqueued_at, dead_at FROM message
                   WHERE queue_id = q.id LIMIT $2) m
           ) c`,
    values: [queueIds, cap],
  });
  return new Map(rows.map((r) => [r.queue_id, r]));
}
