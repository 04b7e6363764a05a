import { sampleQueueGauges } from "@/lib/store/metrics";
import type { Worker } from "./worker";

/** The delay to one second past the next whole minute (samples land inside their minute). */
const untilNextMinute = () => 60_000 - (Date.now() % 60_000) + 1000;

/**
 * Once a minute, across all processes: every queue's gauges (visible, in flight, delayed, rewindable,
 * dead, total, oldest age) into this minute's series, from the counts kept without scanning, and the
 * minute's tick (lib/store/metrics.ts sampleQueueGauges). One statement over the queue table.
 */
export const metricsSamplerWorker: Worker = {
  name: "metrics-sampler",
  lockKey: 727_110,
  intervalMs: 5000,
  async tick(db) {
    await sampleQueueGauges(db);
    return untilNextMinute();
  },
};
