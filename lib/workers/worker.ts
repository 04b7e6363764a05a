import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { logger } from "@/lib/logger";

export type Worker = {
  name: string;
  /** Advisory lock key: one process runs a tick at a time across the installation. */
  lockKey: number;
  intervalMs: number;
  /**
   * One bounded, idempotent step, run while this process holds the worker's lock. Its statements
   * run each in its own short transaction (autocommit) unless it opens one itself: no snapshot is
   * held across the whole step. Returns the delay to the next tick, if not intervalMs.
   */
  tick: (db: pg.PoolClient) => Promise<number | undefined>;
};

/** Runs `worker.tick` forever; failures are logged and retried on the next tick, never thrown. */
export function startWorker(worker: Worker): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = async () => {
    let delay = worker.intervalMs;
    try {
      delay = (await runLocked(worker)) ?? worker.intervalMs;
    } catch (error) {
      logger.warn({ err: error, worker: worker.name }, "worker tick failed; retrying");
    }
    if (!stopped) timer = setTimeout(run, delay);
    timer?.unref?.();
  };
  timer = setTimeout(run, worker.intervalMs);
  timer.unref?.();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * Runs one tick if no other process (or runner) is running this worker's tick now. The lock is a
 * session-level advisory lock on one pooled connection, so it spans the tick's several short
 * transactions (a transaction-level lock would have forced one long transaction, holding back
 * vacuum). It is released before the connection returns to the pool; if the tick fails, the
 * connection is discarded instead, which releases the lock and any transaction the tick left open.
 */
export async function runLocked(worker: Pick<Worker, "lockKey" | "tick">): Promise<number | undefined> {
  const client = await getPool().connect();
  let failure: Error | undefined;
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      worker.lockKey,
    ]);
    if (!rows[0]?.locked) return undefined;
    try {
      return await worker.tick(client);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [worker.lockKey]).catch((error) => {
        failure ??= error;
      });
    }
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.release(failure);
  }
}
