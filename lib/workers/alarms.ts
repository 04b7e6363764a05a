import { deliverAlarmNotifications } from "@/lib/alarms/notify";
import { evaluateAlarmRules } from "@/lib/alarms/run";
import { settings } from "@/lib/config";
import type { Worker } from "./worker";

/** Advisory lock key of the alarm worker (DESIGN: 727_109 is reserved for it). */
export const alarmLockKey = 727_109;

/**
 * Every OPENCMQ_ALARM_INTERVAL_MS, in one process at a time across the installation: evaluate every
 * enabled rule (lib/alarms/run.ts), then send the webhooks that are due (lib/alarms/notify.ts; each
 * bounded by OPENCMQ_PUSH_TIMEOUT_MS, the SSRF guard of OPENCMQ_PUSH_ALLOW_PRIVATE).
 */
export function createAlarmsWorker(): Worker {
  const { alarmIntervalMs, push } = settings();
  return {
    name: "alarms",
    lockKey: alarmLockKey,
    intervalMs: alarmIntervalMs,
    async tick(db) {
      await evaluateAlarmRules(db);
      await deliverAlarmNotifications(db, {
        timeoutMs: push.timeoutMs,
        policy: { allowPrivate: push.allowPrivate },
        retryUnitMs: push.retryUnitMs,
      });
      return undefined;
    },
  };
}
