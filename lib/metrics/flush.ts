// Each app process writes what it counted (record.ts, api-calls.ts) every few seconds in one
// statement (lib/store/metrics.ts writeMetricCounts), and once more when it stops. Processes add to
// the same rows, so the figures are the installation's. A failed write keeps the counts for the next.
import { settings } from "@/lib/config";
import { getPool } from "@/lib/db/pool";
import { logger } from "@/lib/logger";
import { singleton } from "@/lib/singleton";
import { type ApiCallRow, type ResourceCounts, resourceKindCode, writeMetricCounts } from "@/lib/store/metrics";
import { returnApiCalls, takeApiCalls } from "./api-calls";
import { type CounterName, returnPendingCounts, setCountingOn, takePendingCounts } from "./record";

export const FLUSH_INTERVAL_MS = 5000;

const counterOrder: CounterName[] = [
  "SendMsgNum",
  "RecvMsgNum",
  "RecvNullMsgNum",
  "DelMsgNum",
  "NumOfMsgPublished",
  "NumOfNotify",
  "NumOfSuccNotify",
  "NumOfFailNotify",
];

const state = () => singleton<{ flushing: Promise<void> | null }>("metrics.flush", () => ({ flushing: null }));

/** Writes every count taken so far; concurrent calls share one write, then run again. */
export async function flushMetrics(): Promise<void> {
  const s = state();
  while (s.flushing) await s.flushing;
  s.flushing = writeTaken().finally(() => {
    s.flushing = null;
  });
  await s.flushing;
}

async function writeTaken(): Promise<void> {
  const counts = takePendingCounts();
  const calls = takeApiCalls();
  if (counts.length === 0 && calls.length === 0) return;
  const byResource = new Map<string, ResourceCounts>();
  for (const c of counts) {
    const key = `${c.kind}:${c.id}`;
    let row = byResource.get(key);
    if (!row) {
      row = { kind: resourceKindCode[c.kind], id: c.id.toString(), values: counterOrder.map(() => 0) };
      byResource.set(key, row);
    }
    const i = counterOrder.indexOf(c.name);
    row.values[i] = (row.values[i] ?? 0) + c.n;
  }
  try {
    await writeMetricCounts(getPool(), [...byResource.values()], calls as ApiCallRow[]);
  } catch (error) {
    returnPendingCounts(counts);
    returnApiCalls(calls);
    throw error;
  }
}

/**
 * Starts this process's flush timer (once; from instrumentation.ts). With OPENCMQ_METRICS=off nothing
 * is counted or written. Returns a stop function.
 */
export function startMetricsFlush(): void {
  singleton("metrics.flushTimer", () => {
    if (settings().metrics === "off") {
      setCountingOn(false);
      return null;
    }
    const timer = setInterval(() => {
      flushMetrics().catch((error) => logger.warn({ err: error }, "metrics flush failed; keeping the counts"));
    }, FLUSH_INTERVAL_MS);
    timer.unref();
    return timer;
  });
}

/** The last flush when a process stops (its front calls this once answers in flight are done). */
export async function flushMetricsOnStop(): Promise<void> {
  try {
    await flushMetrics();
  } catch (error) {
    logger.warn({ err: error }, "metrics flush at stop failed; these counts are lost");
  }
}
