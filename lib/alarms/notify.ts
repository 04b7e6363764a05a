import type pg from "pg";
import { open } from "@/lib/auth/secret-box";
import { logger } from "@/lib/logger";
import type { AddressPolicy } from "@/lib/push/address-guard";
import { createPushAgents, type PushAgents, sendPush } from "@/lib/push/send";
import { signatureHeader, signPush } from "@/lib/push/signature";
import type { AlarmScope, WebhookAlarm } from "@/lib/schemas/alarm";
import {
  claimDueNotifications,
  type DueNotification,
  dropNotification,
  recordNotificationAttempt,
} from "@/lib/store/alarms";

type Queryable = Pick<pg.PoolClient, "query">;

// Alarm webhooks: a POST on fire and on resolve, signed like HTTP pushes (lib/push/signature.ts:
// `X-OpenCMQ-Signature: t=<unix s>,v1=<hex HMAC-SHA256(rule secret, "<t>.<body>")>`), sent by
// lib/push/send.ts (SSRF address guard on every address connected to, one deadline, 307/308 only,
// bounded answer). A failed attempt is retried after 10, 60 and 300 retry units (OPENCMQ_PUSH_RETRY_UNIT_MS,
// 1 s by default), then the event's delivery is `failed`. Every attempt is an alarm_attempt row.

export const alarmEventHeader = "x-opencmq-event";
/** Delays before the 2nd, 3rd and 4th attempt, in retry units. */
export const retryDelaysInUnits = [10, 60, 300] as const;
export const maxAttempts = retryDelaysInUnits.length + 1;

export type NotifyOptions = {
  timeoutMs: number;
  policy: AddressPolicy;
  retryUnitMs: number;
  /** events claimed per call */
  batch?: number;
  agents?: PushAgents;
  /** Only these accounts' events (tests share a database with other work). */
  accountIds?: readonly string[];
};

/** The rule as the webhook describes it, from the rule row (read with the event). */
function alarmOfRule(n: DueNotification): WebhookAlarm {
  const name = n.scope_name ?? "";
  const scope: AlarmScope =
    n.scope_type === "queue"
      ? { type: "queue", queue: name }
      : n.scope_type === "topic"
        ? { type: "topic", topic: name }
        : n.scope_type === "subscription"
          ? { type: "subscription", topic: name, subscription: n.scope_subscription ?? "" }
          : n.scope_type === "pattern"
            ? { type: "pattern", pattern: name }
            : { type: "account" };
  return {
    id: n.rule_id,
    name: n.rule_name,
    kind: n.kind,
    scope,
    threshold: n.threshold,
    forSeconds: n.for_seconds,
    windowSeconds: n.window_seconds,
  };
}

/**
 * The webhook's JSON body (README → Alarms → Webhook). A deleted rule's last webhooks describe it
 * as its deletion copied it, so they name the same alarm id as its earlier ones.
 */
export function alarmPayload(n: DueNotification): string {
  const type = n.to_state === "firing" ? "alarm.firing" : "alarm.resolved";
  return JSON.stringify({
    type,
    // The threshold is the event's own (the one it was judged against), as for a rule that exists.
    alarm: n.rule_copy ? { ...n.rule_copy, threshold: n.threshold } : alarmOfRule(n),
    event: {
      id: n.event_id,
      at: n.at.toISOString(),
      fromState: n.from_state,
      state: n.to_state,
      value: n.value,
      subject: n.subject,
      message: n.message,
    },
    attempt: n.attempt,
  });
}

let sharedAgents: PushAgents | undefined;

/**
 * Sends the due notifications (at most `batch`, concurrently) and records each attempt. Bounded:
 * each send ends by its deadline. Returns how many were attempted.
 */
export async function deliverAlarmNotifications(db: Queryable, options: NotifyOptions): Promise<number> {
  const leaseMs = options.timeoutMs * 2 + 1000;
  const due = await claimDueNotifications(db, options.batch ?? 20, leaseMs, options.accountIds);
  if (due.length === 0) return 0;
  sharedAgents ??= createPushAgents(32);
  const agents = options.agents ?? sharedAgents;
  const outcomes = await Promise.all(
    due.map(async (n) => {
      if (!n.webhook_url || !n.secret_encrypted) return { n, outcome: null };
      let secret: string;
      try {
        secret = open(n.secret_encrypted);
      } catch {
        return {
          n,
          outcome: {
            httpStatus: null,
            error: "the webhook secret cannot be opened (was OPENCMQ_MASTER_KEY changed?)",
            latencyMs: 0,
          },
        };
      }
      const body = alarmPayload(n);
      const headers = {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "OpenCMQ-Alarms",
        [alarmEventHeader]: n.to_state === "firing" ? "alarm.firing" : "alarm.resolved",
        [signatureHeader]: signPush(secret, body, Math.floor(Date.now() / 1000)),
      };
      const outcome = await sendPush(
        n.webhook_url,
        { body, headers },
        {
          timeoutMs: options.timeoutMs,
          policy: options.policy,
          agents,
        },
      );
      return { n, outcome };
    }),
  );
  // Recorded one by one on the worker's connection (a statement each; a tick records ≤ batch).
  for (const { n, outcome } of outcomes) {
    if (!outcome || !n.webhook_url) {
      await dropNotification(db, n.event_id);
      continue;
    }
    const delivered = outcome.error === null;
    const delay = retryDelaysInUnits[n.attempt - 1];
    const status = delivered ? "delivered" : delay === undefined ? "failed" : "pending";
    if (!delivered)
      logger.warn({ event: n.event_id, attempt: n.attempt, error: outcome.error }, "alarm webhook failed");
    await recordNotificationAttempt(db, {
      eventId: n.event_id,
      attempt: n.attempt,
      url: n.webhook_url,
      httpStatus: outcome.httpStatus,
      error: outcome.error,
      latencyMs: outcome.latencyMs,
      status,
      retryInMs: status === "pending" && delay !== undefined ? delay * options.retryUnitMs : undefined,
    });
  }
  return due.length;
}
