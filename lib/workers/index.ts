import { logger } from "@/lib/logger";
import { startCrossProcessWake } from "@/lib/services/cross-process-wake";
import { singleton } from "@/lib/singleton";
import { createAlarmsWorker } from "./alarms";
import { deadLetterTtlWorker } from "./dead-letter-ttl";
import { historySweepWorker } from "./history-sweep";
import { metricsRollupWorker } from "./metrics-rollup";
import { metricsSamplerWorker } from "./metrics-sampler";
import { operationsWorker } from "./operations";
import { startPushDelivery } from "./push";
import { queueStatsWorker } from "./queue-stats";
import { retentionWorker } from "./retention";
import { topicRetentionWorker } from "./topic-retention";
import { startWorker } from "./worker";

/** Starts the background workers once per process (called from instrumentation.ts). */
export function startWorkers(): void {
  singleton("workers", () => {
    const stops = [
      retentionWorker,
      queueStatsWorker,
      historySweepWorker,
      operationsWorker,
      deadLetterTtlWorker,
      topicRetentionWorker,
      metricsSamplerWorker,
      metricsRollupWorker,
      createAlarmsWorker(),
    ].map(startWorker);
    startCrossProcessWake();
    const stopPush = startPushDelivery();
    logger.info(
      "background workers started: retention, queue-stats, history-sweep, operations, dead-letter-ttl, topic-retention, metrics-sampler, metrics-rollup, alarms, cross-process wake, push",
    );
    return [...stops, stopPush];
  });
}
