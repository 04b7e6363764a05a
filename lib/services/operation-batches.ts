import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { logger } from "@/lib/logger";
import {
  type BatchResult,
  failOperation,
  finishBatch,
  type OperationRow,
  runBatch,
  type SkipReason,
  skipReasons,
} from "@/lib/store/operations";
import { announceSend } from "./cross-process-wake";
import { wakeReceivers } from "./long-poll";

// Working through an operation, one batch per transaction: used by the operations worker
// (lib/workers/operations.ts) and by the request that created a small operation.

/**
 * Runs one batch of the operation `claim` locks (in a transaction it opens on `client`), records it
 * on the operation row in that same transaction, and wakes the receivers of the queues messages moved
 * into once it has committed. Returns the operation as committed, or null when `claim` found none.
 */
export async function runOneBatch(
  client: pg.PoolClient,
  claim: (client: pg.PoolClient) => Promise<OperationRow | null>,
): Promise<OperationRow | null> {
  await client.query("BEGIN");
  let op: OperationRow | null = null;
  try {
    op = await claim(client);
    if (!op || (op.status !== "pending" && op.status !== "running")) {
      await client.query("COMMIT");
      return op;
    }
    if (op.kind !== "purge" && op.target_queue_id === null) {
      await client.query("ROLLBACK");
      await failOperation(client, op.id, "The target queue was deleted.");
      return op;
    }
    const result = await runBatch(client, op);
    const updated = await finishBatch(client, op, result, noteSkips(op.error, result.skipped));
    await client.query("COMMIT");
    wakeArrivals(result);
    return updated;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    // An outage, a deadlock or a lock wait is retried by the next tick; anything else would fail
    // the same way every time.
    if (!op || isDatabaseUnavailable(error) || isTransient(error)) throw error;
    logger.error({ err: error, operation: op.id }, "operation batch failed; the operation is marked failed");
    await failOperation(client, op.id, `A batch failed: ${(error as Error).message}`);
    return op;
  }
}

const isTransient = (error: unknown) => ["40P01", "40001", "55P03"].includes((error as { code?: string }).code ?? "");

/** Waiters on the queues that messages arrived in (this process at once, others by NOTIFY). */
function wakeArrivals(result: BatchResult) {
  for (const [queueId, count] of result.arrivedByQueue) {
    wakeReceivers(queueId, count);
    announceSend(queueId, count);
  }
}

/** Runs `work` on a pooled connection, discarding the connection if it failed mid-transaction. */
export async function withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await getPool().connect();
  let failure: Error | undefined;
  try {
    return await work(client);
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.release(failure);
  }
}

const skipPhrases: Record<SkipReason, string> = {
  loopGuard: "redriven 10 times already (loop guard)",
  originGone: "whose origin queue no longer exists (or is this queue)",
  targetGone: "whose target queue no longer exists",
  tooLarge: "larger than the target queue's maxMsgSize",
  held: "held by another transaction for over a second",
};

/**
 * The operation's note on skipped messages, with this batch's added: "Skipped: 3 redriven 10 times
 * already (loop guard); 2 whose origin queue no longer exists (or is this queue)." Each reason's count
 * is kept in the note itself (the operation row has one `error` text), read back here.
 */
export function noteSkips(note: string | null, skipped: Record<SkipReason, number>): string | null {
  const counts = skipReasons.map((reason) => {
    const phrase = skipPhrases[reason].replace(/[()]/g, "\\$&");
    const before = Number(new RegExp(`(\\d+) ${phrase}`).exec(note ?? "")?.[1] ?? 0);
    return { reason, count: before + skipped[reason] };
  });
  const parts = counts.filter((c) => c.count > 0).map((c) => `${c.count} ${skipPhrases[c.reason]}`);
  return parts.length > 0 ? `Skipped: ${parts.join("; ")}.` : note;
}
