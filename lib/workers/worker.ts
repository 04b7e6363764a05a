import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { logger } from "@/lib/logger";

export type Worker = {
  name: string;
  /** Advisory lock key: one process runs a tick at a time across the installation. */
  lockKey: number;
  intervalMs: number;
  /** One bounded, idempotent step, run inside a transaction holding the lock. Returns the delay to the next tick, if not intervalMs. */
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

export async function runLocked(worker: Pick<Worker, "lockKey" | "tick">): Promise<number | undefined> {
  const client = await getPool().connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS locked", [
      worker.lockKey,
    ]);
    const delay = rows[0]?.locked ? await worker.tick(client) : undefined;
    await client.query("COMMIT");
    return delay;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
