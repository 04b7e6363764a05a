import { getPool } from "@/lib/db/pool";
import type { Operation, OperationAnswer } from "@/lib/schemas/operation";
import { runOneBatch, withClient } from "@/lib/services/operation-batches";
import { lockOperation } from "@/lib/store/operations";

// Helpers for tests of operations: dead and rewindable rows made by hand (the way the dead-letter
// move and the rewind delete make them, per the issue 10 contract), and an operation worked to its end.

/** Moves messages into `dlqId` as dead letters of `originId`, as a receive past maxReceiveCount does. */
export async function makeDead(ids: string[], dlqId: string, originId: string | null, reason = "maxReceiveCount") {
  await getPool().query(
    `UPDATE message SET queue_id = $2::bigint, visible_at = now(), dead_from_queue_id = $3::bigint,
            dead_reason = $4, dead_at = now(), dead_dequeue_count = dequeue_count, dequeue_count = 0,
            receipt = NULL, first_dequeued_at = NULL
     WHERE id = ANY($1::bigint[])`,
    [ids, dlqId, originId, reason],
  );
}

/** Inserts `count` messages straight into the table (bodies "<prefix>-<n>"), returns their ids in order. */
export async function insertRows(queueId: string, count: number, prefix = "m"): Promise<string[]> {
  const { rows } = await getPool().query<{ id: string }>(
    `INSERT INTO message (queue_id, body, visible_at)
     SELECT $1::bigint, $3 || '-' || g, now() FROM generate_series(1, $2::int) g ORDER BY g RETURNING id::text`,
    [queueId, count, prefix],
  );
  return rows.map((r) => r.id);
}

/** Moves messages into message_history, as a delete with rewind on does (turning rewind on for their queues). */
export async function makeRewindable(ids: string[]) {
  await getPool().query(
    `WITH gone AS (DELETE FROM message WHERE id = ANY($1::bigint[]) RETURNING *),
          kept AS (
            INSERT INTO message_history (id, queue_id, body, tags, enqueued_at, first_dequeued_at, dequeue_count)
            SELECT id, queue_id, body, tags, enqueued_at, first_dequeued_at, dequeue_count FROM gone
            RETURNING queue_id
          )
     UPDATE queue SET rewind_seconds = greatest(rewind_seconds, 3600) WHERE id IN (SELECT queue_id FROM kept)`,
    [ids],
  );
}

/** The operation of a non-dry-run answer. */
export function operationOf(answer: OperationAnswer): Operation {
  if (!("operation" in answer)) throw new Error(`expected an operation, got ${JSON.stringify(answer)}`);
  return answer.operation;
}

/** Works an operation in batches (as the worker does) until it ends; returns how many batches ran. */
export async function workToEnd(id: string, maxBatches = 10_000): Promise<number> {
  for (let batches = 0; batches < maxBatches; batches++) {
    const op = await withClient((client) => runOneBatch(client, (c) => lockOperation(c, id)));
    if (!op || (op.status !== "pending" && op.status !== "running")) return batches;
  }
  throw new Error(`operation ${id} did not end within ${maxBatches} batches`);
}

export async function idsIn(queueId: string, table = "message"): Promise<string[]> {
  const { rows } = await getPool().query<{ id: string }>(
    `SELECT id::text FROM ${table === "message" ? "message" : "message_history"} WHERE queue_id = $1 ORDER BY id`,
    [queueId],
  );
  return rows.map((r) => r.id);
}
