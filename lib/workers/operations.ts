import { runOneBatch } from "@/lib/services/operation-batches";
import { claimDueOperation, nextOperationDueInMs } from "@/lib/store/operations";
import type { Worker } from "./worker";

/** A tick works batches for at most this long, then lets the process breathe. */
const TICK_BUDGET_MS = 500;
const IDLE_MS = 1000;

/**
 * Works through pending and running operations (purge, redrive, move, copy), one batch per
 * transaction (lib/services/operation-batches.ts). Each batch claims its operation row FOR UPDATE SKIP
 * LOCKED — the due one that advanced longest ago, so operations take turns — which is what keeps two
 * workers (or a request finishing a small operation) off the same operation; the advisory lock only
 * keeps this worker's ticks one at a time per installation, like the other sweeps. A crash loses at most
 * the batch in progress, which rolls back: the next tick resumes from the last committed cursor.
 */
export const operationsWorker: Worker = {
  name: "operations",
  lockKey: 727_104,
  intervalMs: IDLE_MS,
  async tick(db) {
    const started = performance.now();
    let batches = 0;
    while (performance.now() - started < TICK_BUDGET_MS) {
      const op = await runOneBatch(db, claimDueOperation);
      if (!op) break;
      batches++;
    }
    if (batches > 0) return 0;
    // Nothing due: sleep until the next rate-limited operation is due, at most IDLE_MS.
    const dueInMs = await nextOperationDueInMs(db);
    return dueInMs === null ? IDLE_MS : Math.min(IDLE_MS, Math.max(20, Math.ceil(dueInMs)));
  },
};
