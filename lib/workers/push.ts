import { settings } from "@/lib/config";
import { startPushWorker } from "@/lib/push/worker";

/**
 * Starts this process's HTTP push worker from the settings (OPENCMQ_PUSH_*). Unlike the sweeps it
 * runs in every process at once, without an advisory lock: its claims coordinate through the
 * database (lib/push/store.ts). Returns its stop.
 */
export function startPushDelivery(): () => Promise<void> {
  const push = settings().push;
  const worker = startPushWorker({
    concurrency: push.concurrency,
    perSubscription: push.concurrencyPerSubscription,
    timeoutMs: push.timeoutMs,
    pollMs: push.pollMs,
    retryUnitMs: push.retryUnitMs,
    policy: { allowPrivate: push.allowPrivate },
  });
  return worker.stop;
}
