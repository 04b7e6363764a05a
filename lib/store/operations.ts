import type pg from "pg";
import type { MessageFilter } from "@/lib/schemas/message-filter";
import { type OperationKind, operationLimits } from "@/lib/schemas/operation";
import { filterSql } from "./message-filter";

// SQL of operator operations (purge, redrive, move, copy) — lib/services/operations.ts and the
// operations worker. Every statement builds its WHERE with filterSql, so the dry-run count and the
// batches act on the same predicate; max_message_id bounds the work to what existed when it was asked.
//
// Locking. An operation row is claimed FOR UPDATE (SKIP LOCKED by the worker) for one batch: one
// short transaction that picks at most batchSize messages in id order, acts on them and advances the
// operation's cursor and counts, so progress is exactly what committed and a crash resumes after the
// last committed batch. Messages are picked FOR UPDATE SKIP LOCKED: a row another transaction holds
// at that moment (a receive setting its lease, a delete, a sweep, another operation) is passed over,
// never waited for, so senders and receivers are never blocked by an operation and never block it.
// A passed-over row is RETRIED, not counted as skipped: the cursor stops just before it, and the next
// batch walks again from there (rows already acted on no longer match — they are gone or in another
// queue — so the walk is idempotent). Such locks last milliseconds, and an operator who purges "all"
// means all: a message should not survive a purge because a receiver leased it at that instant. Only
// a batch that finds every candidate held waits for them, at most lockWaitMs; a row still held then is
// counted in `skipped` (reason "held by another transaction"), so a stuck lock cannot stall the walk.
//
// Copy takes no lock at all: it only reads its source rows (as a peek does) and inserts new ones.

/** Runs a statement: over a pg client, or inside a Prisma transaction (lib/services/operations.ts). */
export type Sql = <R>(text: string, values: unknown[]) => Promise<R[]>;
export const sqlOf =
  (client: pg.ClientBase): Sql =>
  async <R>(text: string, values: unknown[]) =>
    (await client.query(text, values)).rows as R[];

const lockWaitMs = 1000;

export type MatchCount = {
  count: number;
  /** The highest matching id (0 when none): the work's upper bound. */
  maxMessageId: string;
  /** Redrive to origins: how many matching messages died in each queue (null: not a dead message). */
  byOrigin: { originId: string | null; count: number }[];
};

/** Counts the messages `filter` matches in the queue, with the highest id and, for redrive, their origins. */
export async function countMatching(sql: Sql, queueId: string, filter: MessageFilter): Promise<MatchCount> {
  const values: unknown[] = [];
  const { table, where } = filterSql(queueId, filter, values);
  const origin = table === "message" ? "dead_from_queue_id" : "NULL::bigint";
  const rows = await sql<{ origin_id: string | null; count: number; max_id: string }>(
    `SELECT ${origin}::text AS origin_id, count(*)::float8 AS count, (max(max(id)) OVER ())::text AS max_id
     FROM ${table} WHERE ${where.join(" AND ")} GROUP BY 1`,
    values,
  );
  return {
    count: rows.reduce((sum, r) => sum + Number(r.count), 0),
    maxMessageId: rows[0]?.max_id ?? "0",
    byOrigin: rows.map((r) => ({ originId: r.origin_id, count: Number(r.count) })),
  };
}

export type OperationRow = {
  id: string;
  account_id: string;
  queue_id: string;
  kind: OperationKind;
  filter: MessageFilter;
  target_queue_id: string | null;
  target_name: string | null;
  status: string;
  total: string;
  processed: string;
  skipped: string;
  rate_per_second: number | null;
  max_message_id: string;
  cursor: string;
  error: string | null;
  actor_label: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

const operationColumns = `o.id, o.account_id, o.queue_id::text, o.kind, o.filter, o.target_queue_id::text,
  (SELECT name FROM queue WHERE id = o.target_queue_id) AS target_name, o.status, o.total::text,
  o.processed::text, o.skipped::text, o.rate_per_second, o.max_message_id::text, o.cursor::text, o.error,
  o.actor_label, o.created_at, o.started_at, o.finished_at`;

export async function insertOperation(
  sql: Sql,
  op: {
    id: string;
    accountId: string;
    queueId: string;
    kind: OperationKind;
    filter: MessageFilter;
    targetQueueId: string | null;
    total: number;
    ratePerSecond: number | null;
    maxMessageId: string;
    actorLabel: string;
  },
): Promise<OperationRow> {
  const [row] = await sql<OperationRow>(
    `WITH o AS (
       INSERT INTO queue_operation (id, account_id, queue_id, kind, filter, target_queue_id, total,
                                    rate_per_second, max_message_id, actor_label)
       VALUES ($1::uuid, $2::uuid, $3::bigint, $4, $5::jsonb, $6::bigint, $7::bigint, $8::int, $9::bigint, $10)
       RETURNING *
     ) SELECT ${operationColumns} FROM o`,
    [
      op.id,
      op.accountId,
      op.queueId,
      op.kind,
      JSON.stringify(op.filter),
      op.targetQueueId,
      op.total,
      op.ratePerSecond,
      op.maxMessageId,
      op.actorLabel,
    ],
  );
  return row as OperationRow;
}

export async function selectOperation(sql: Sql, queueId: string, id: string): Promise<OperationRow | null> {
  const [row] = await sql<OperationRow>(
    `SELECT ${operationColumns} FROM queue_operation o WHERE o.queue_id = $1::bigint AND o.id = $2::uuid`,
    [queueId, id],
  );
  return row ?? null;
}

/** The queue's newest operations (queue_operation_queue_idx). */
export async function selectOperations(sql: Sql, queueId: string, limit: number): Promise<OperationRow[]> {
  return sql<OperationRow>(
    `SELECT ${operationColumns} FROM queue_operation o WHERE o.queue_id = $1::bigint
     ORDER BY o.created_at DESC, o.id DESC LIMIT $2::int`,
    [queueId, limit],
  );
}

/**
 * Cancels a pending or running operation. It waits for the batch in progress (if any) to commit —
 * that batch holds the row — so cancelling stops the work between batches; a finished one is left as is.
 */
export async function cancelOperationRow(sql: Sql, queueId: string, id: string): Promise<OperationRow | null> {
  const [row] = await sql<OperationRow>(
    `WITH o AS (
       UPDATE queue_operation SET status = 'cancelled', finished_at = now(), updated_at = now()
       WHERE queue_id = $1::bigint AND id = $2::uuid AND status IN ('pending', 'running')
       RETURNING *
     ) SELECT ${operationColumns} FROM o`,
    [queueId, id],
  );
  return row ?? (await selectOperation(sql, queueId, id));
}

/**
 * A redrive to each message's origin is stored with target_queue_id = its own queue (never a valid
 * target), so that a NULL target can only mean one thing: the named target was deleted (ON DELETE
 * SET NULL) — and the operation fails rather than send the rest somewhere else.
 */
export const namedTargetOf = (op: Pick<OperationRow, "queue_id" | "target_queue_id">) =>
  op.target_queue_id === op.queue_id ? null : op.target_queue_id;

/** Rows per batch: a rate-limited operation takes one second's worth at a time. */
export const batchSizeOf = (ratePerSecond: number | null) =>
  Math.min(operationLimits.batchSize, ratePerSecond ?? operationLimits.batchSize);

/**
 * Claims the operation to work on next, FOR UPDATE SKIP LOCKED so several app processes (and the
 * request that created a small one) never work on the same operation at once: the one due longest
 * ago first, so operations take turns. A rate-limited one is due when its last batch's share of a
 * second has passed (batch ÷ rate after updated_at, which each batch sets).
 * Holds the row until the caller's transaction ends.
 */
export async function claimDueOperation(client: pg.ClientBase): Promise<OperationRow | null> {
  const { rows } = await client.query<OperationRow>(
    `SELECT ${operationColumns} FROM queue_operation o
     WHERE o.status IN ('pending', 'running')
       AND (o.rate_per_second IS NULL OR o.started_at IS NULL
            OR o.updated_at <= clock_timestamp()
               - (least($1::int, o.rate_per_second)::float8 / o.rate_per_second) * interval '1 second')
     ORDER BY o.updated_at, o.id LIMIT 1
     FOR UPDATE OF o SKIP LOCKED`,
    [operationLimits.batchSize],
  );
  return rows[0] ?? null;
}

/** Milliseconds until the next rate-limited operation is due (null: no active operation). */
export async function nextOperationDueInMs(client: pg.ClientBase): Promise<number | null> {
  const { rows } = await client.query<{ in_ms: number | null }>(
    `SELECT min(extract(epoch FROM (CASE WHEN rate_per_second IS NULL OR started_at IS NULL THEN clock_timestamp()
                 ELSE updated_at + (least($1::int, rate_per_second)::float8 / rate_per_second) * interval '1 second'
                 END) - clock_timestamp()) * 1000)::float8 AS in_ms
     FROM queue_operation WHERE status IN ('pending', 'running')`,
    [operationLimits.batchSize],
  );
  return rows[0]?.in_ms ?? null;
}

/** Claims one operation by id, waiting for a batch another process is running on it. */
export async function lockOperation(client: pg.ClientBase, id: string): Promise<OperationRow | null> {
  const { rows } = await client.query<OperationRow>(
    `SELECT ${operationColumns} FROM queue_operation o WHERE o.id = $1::uuid FOR UPDATE OF o`,
    [id],
  );
  return rows[0] ?? null;
}

export const skipReasons = ["loopGuard", "originGone", "targetGone", "tooLarge", "held"] as const;
export type SkipReason = (typeof skipReasons)[number];
export type BatchResult = {
  acted: number;
  skipped: Record<SkipReason, number>;
  /** Where the next batch starts (exclusive). */
  cursor: string;
  isWalkDone: boolean;
  /** Messages that arrived per queue (move, copy, redrive), to wake its long-poll waiters. */
  arrivedByQueue: Map<string, number>;
};

type BatchRow = {
  examined: number;
  last_id: string | null;
  first_passed: string | null;
  picked: number;
  acted: number;
  skips: Partial<Record<SkipReason, number>> | null;
  arrived: { queue_id: string; n: number }[] | null;
};

/**
 * One batch of `op`, inside the caller's transaction (which holds the operation row). Returns what
 * it did; the caller records it on the operation row in the same transaction (finishBatch).
 */
export async function runBatch(client: pg.ClientBase, op: OperationRow): Promise<BatchResult> {
  const first = await client.query<BatchRow>(batchStatement(op, "skip"));
  let row = first.rows[0] as BatchRow;
  let held = 0;
  if (row.picked === 0 && row.first_passed !== null) {
    // Every candidate is held by someone else: wait for them a moment, then give up on them.
    await client.query("SAVEPOINT wait_for_held");
    try {
      await client.query("SELECT set_config('lock_timeout', $1, true)", [`${lockWaitMs}ms`]);
      row = (await client.query<BatchRow>(batchStatement(op, "wait"))).rows[0] as BatchRow;
      await client.query("RELEASE SAVEPOINT wait_for_held");
    } catch (error) {
      if ((error as { code?: string }).code !== "55P03") throw error;
      await client.query("ROLLBACK TO SAVEPOINT wait_for_held");
      // (Candidates that were deleted meanwhile rather than held are counted here too.)
      held = row.examined;
      row = { ...row, first_passed: null };
    }
  }
  const batchSize = batchSizeOf(op.rate_per_second);
  const isWalkDone = row.first_passed === null && row.examined < batchSize;
  const cursor =
    row.first_passed !== null
      ? (BigInt(row.first_passed) - 1n).toString()
      : isWalkDone
        ? op.max_message_id
        : (row.last_id ?? op.cursor);
  const skipped = Object.fromEntries(skipReasons.map((r) => [r, row.skips?.[r] ?? 0])) as Record<SkipReason, number>;
  skipped.held += held;
  return {
    acted: row.acted,
    skipped,
    cursor,
    isWalkDone,
    arrivedByQueue: new Map((row.arrived ?? []).map((a) => [a.queue_id, a.n])),
  };
}

/** The batch's one statement: candidates in id order, the rows picked from them, the action. */
function batchStatement(op: OperationRow, lockMode: "skip" | "wait"): { text: string; values: unknown[] } {
  const values: unknown[] = [op.cursor, op.max_message_id, batchSizeOf(op.rate_per_second)];
  const { table, where } = filterSql(op.queue_id, op.filter, values);
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const matching = `${where.join(" AND ")} AND id > $1::bigint AND id <= $2::bigint`;
  const candidates = `candidates AS (SELECT id FROM ${table} WHERE ${matching} ORDER BY id LIMIT $3::int)`;
  const lock = lockMode === "skip" ? "FOR UPDATE SKIP LOCKED" : "FOR UPDATE";
  // `id = ANY(ARRAY(…))` rather than a join or IN: the planner then always looks the batch's rows up
  // by primary key (a join estimated at batchSize rows was planned as a scan of the whole queue).
  const picked = (columns: string) =>
    `picked AS (SELECT ${columns} FROM ${table} WHERE id = ANY(ARRAY(SELECT id FROM candidates)) AND ${where.join(" AND ")}
                ORDER BY id ${lock})`;
  // What each picked message's move does: the queue it goes to, or why it stays (skip).
  const summary = (arrives: boolean) =>
    `SELECT (SELECT count(*) FROM candidates)::int AS examined,
            (SELECT max(id) FROM candidates)::text AS last_id,
            (SELECT min(id) FROM candidates WHERE id NOT IN (SELECT id FROM picked))::text AS first_passed,
            (SELECT count(*) FROM picked)::int AS picked,
            (SELECT count(*) FROM acted)::int AS acted,
            ${arrives ? "(SELECT json_object_agg(skip, n) FROM (SELECT skip, count(*) AS n FROM plan WHERE skip IS NOT NULL GROUP BY skip) s)" : "NULL::json"} AS skips,
            ${arrives ? "(SELECT json_agg(json_build_object('queue_id', queue_id::text, 'n', n)) FROM (SELECT queue_id, count(*)::int AS n FROM acted GROUP BY queue_id) a)" : "NULL::json"} AS arrived`;
  // A message too large for its new queue (its maxMsgSize) stays where it is, as a send would be refused.
  const tooLarge = "WHEN size > q.max_msg_size THEN 'tooLarge'";
  // A moved or redriven message arrives in its new queue as a fresh delivery: visible now, never
  // received, a new enqueue time (so the target's retention cannot expire it on arrival; the first send
  // time is kept in first_enqueued_at), no longer dead (its last death stays in dead_reason and
  // dead_from_queue_id). One UPDATE of one row: never in two queues, never in none; the id is kept.
  const arrive = `queue_id = plan.target, visible_at = now(),
                  first_enqueued_at = coalesce(m.first_enqueued_at, m.enqueued_at), enqueued_at = now(),
                  dead_at = NULL, dequeue_count = 0, receipt = NULL, first_dequeued_at = NULL`;
  const moveRows = (extra = "") =>
    `acted AS (UPDATE message m SET ${arrive}${extra}
               FROM plan WHERE m.id = ANY(ARRAY(SELECT id FROM plan WHERE skip IS NULL)) AND m.id = plan.id
               RETURNING m.queue_id)`;

  switch (op.kind) {
    case "purge":
      // Purged messages are gone for good, also from a queue with rewind on: not kept for rewind.
      return {
        text: `WITH ${candidates}, ${picked("id")},
                    acted AS (DELETE FROM ${table} WHERE id = ANY(ARRAY(SELECT id FROM picked)) RETURNING id)
               ${summary(false)}`,
        values,
      };
    case "move":
      return {
        text: `WITH ${candidates}, ${picked("id, octet_length(body) AS size")},
                    plan AS (
                      SELECT p.id, q.id AS target,
                             CASE WHEN q.id IS NULL THEN 'targetGone' ${tooLarge} END AS skip
                      FROM picked p LEFT JOIN queue q ON q.id = ${param(op.target_queue_id)}::bigint
                    ),
                    ${moveRows()}
               ${summary(true)}`,
        values,
      };
    case "redrive": {
      // To the named target, or back to the queue each message died in — if that queue still
      // exists in the account and is not this one. The loop guard leaves a message redriven
      // maxRedrives times where it is.
      const target = param(namedTargetOf(op));
      const account = param(op.account_id);
      const source = param(op.queue_id);
      const maxRedrives = param(operationLimits.maxRedrives);
      return {
        text: `WITH ${candidates}, ${picked("id, redrive_count, dead_from_queue_id, octet_length(body) AS size")},
                    plan AS (
                      SELECT p.id, q.id AS target,
                             CASE WHEN p.redrive_count >= ${maxRedrives}::int THEN 'loopGuard'
                                  WHEN q.id IS NULL AND ${target}::bigint IS NOT NULL THEN 'targetGone'
                                  WHEN q.id IS NULL THEN 'originGone'
                                  ${tooLarge} END AS skip
                      FROM picked p
                      LEFT JOIN queue q ON q.id = coalesce(${target}::bigint, p.dead_from_queue_id)
                                       AND q.account_id = ${account}::uuid AND q.id <> ${source}::bigint
                    ),
                    ${moveRows(", redrive_count = m.redrive_count + 1")}
               ${summary(true)}`,
        values,
      };
    }
    case "copy":
      // A copy is a new message (new id, fresh delivery state) with the source's body and tags; the
      // source rows are only read, so none is locked or passed over.
      return {
        text: `WITH candidates AS (SELECT id, body, tags FROM message WHERE ${matching} ORDER BY id LIMIT $3::int),
                    picked AS (SELECT id FROM candidates),
                    plan AS (
                      SELECT c.id, c.body, c.tags, q.id AS target,
                             CASE WHEN q.id IS NULL THEN 'targetGone' ${tooLarge.replace("size", "octet_length(c.body)")} END AS skip
                      FROM candidates c LEFT JOIN queue q ON q.id = ${param(op.target_queue_id)}::bigint
                    ),
                    acted AS (INSERT INTO message (queue_id, body, tags, visible_at)
                              SELECT target, body, tags, now() FROM plan WHERE skip IS NULL ORDER BY id
                              RETURNING queue_id)
               ${summary(true)}`,
        values,
      };
  }
}

/** Records a batch on the operation row (same transaction as the batch). */
export async function finishBatch(
  client: pg.ClientBase,
  op: OperationRow,
  result: BatchResult,
  note: string | null,
): Promise<OperationRow> {
  const skipped = Object.values(result.skipped).reduce((sum, n) => sum + n, 0);
  const { rows } = await client.query<OperationRow>(
    `WITH o AS (
       UPDATE queue_operation
       SET cursor = $2::bigint, processed = processed + $3::bigint, skipped = skipped + $4::bigint, error = $5,
           status = CASE WHEN $6::boolean THEN 'done' ELSE 'running' END,
           started_at = coalesce(started_at, now()), finished_at = CASE WHEN $6::boolean THEN now() END,
           updated_at = clock_timestamp()
       WHERE id = $1::uuid RETURNING *
     ) SELECT ${operationColumns} FROM o`,
    [op.id, result.cursor, result.acted, skipped, note, result.isWalkDone],
  );
  return rows[0] as OperationRow;
}

/** Ends an operation that cannot go on (its target was deleted, or a batch failed for good). */
export async function failOperation(client: pg.ClientBase, id: string, error: string): Promise<void> {
  await client.query(
    `UPDATE queue_operation SET status = 'failed', error = $2, finished_at = now(), updated_at = clock_timestamp()
     WHERE id = $1::uuid AND status IN ('pending', 'running')`,
    [id, error],
  );
}

/**
 * Deletes one message by id, live or kept for rewind (an operator's delete: gone for good). A row a
 * receiver is leasing at this moment is waited for (milliseconds), then deleted.
 */
export async function deleteMessageById(sql: Sql, queueId: string, id: string): Promise<"live" | "rewindable" | null> {
  const [row] = await sql<{ live: number; rewindable: number }>(
    `WITH live AS (DELETE FROM message WHERE queue_id = $1::bigint AND id = $2::bigint RETURNING id),
          kept AS (DELETE FROM message_history WHERE queue_id = $1::bigint AND id = $2::bigint RETURNING id)
     SELECT (SELECT count(*) FROM live)::int AS live, (SELECT count(*) FROM kept)::int AS rewindable`,
    [queueId, id],
  );
  if (row?.live) return "live";
  if (row?.rewindable) return "rewindable";
  return null;
}
