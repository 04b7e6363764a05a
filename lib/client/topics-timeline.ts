import type { z } from "zod";
import type { deliveryAttemptSchema, deliverySchema } from "@/lib/schemas/topic";
import { formatNumber } from "./format";

// A topic message's delivery timeline as the console shows it: each fan-out's state in words, where
// the copy went (a queue's message, linked to that queue's browser) and every HTTP attempt.

export type Delivery = z.infer<typeof deliverySchema>;
export type DeliveryAttempt = z.infer<typeof deliveryAttemptSchema>;
export type DeliveryStatus = Delivery["status"];

export const deliveryStatusInfo: Record<DeliveryStatus, { label: string; tone: "green" | "amber" | "red" }> = {
  pending: { label: "Pending", tone: "amber" },
  delivered: { label: "Delivered", tone: "green" },
  dropped: { label: "Dropped", tone: "red" },
  failed: { label: "Failed", tone: "red" },
};

/** The queue's message browser with this message open. */
export const queueMessageHref = (queue: string, id: string) =>
  `/queues/${encodeURIComponent(queue)}?message=${encodeURIComponent(id)}`;

export const topicMessageHref = (topic: string, id: string) =>
  `/topics/${encodeURIComponent(topic)}/messages/${encodeURIComponent(id)}`;

/** "2 delivered · 1 pending"; "no subscription received it" for none. */
export function deliverySummary(deliveries: Pick<Delivery, "status">[]): string {
  if (deliveries.length === 0) return "no subscription received it";
  const order: DeliveryStatus[] = ["delivered", "pending", "dropped", "failed"];
  return order
    .map((status) => [status, deliveries.filter((d) => d.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${formatNumber(count)} ${status}`)
    .join(" · ");
}

/** 87 → "87 ms", 1234 → "1.23 s", 15000 → "15 s". */
export function formatLatency(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = ms / 1000;
  return `${Number(seconds.toFixed(seconds < 10 ? 2 : 1))} s`;
}

export type AttemptRow = {
  attempt: number;
  startedAt: string;
  latency: string;
  /** "HTTP 200", "HTTP 503", or "no answer" when the request failed before a status */
  outcome: string;
  isSuccess: boolean;
  error: string | null;
  nextAttemptAt: string | null;
};

export function attemptRows(attempts: DeliveryAttempt[]): AttemptRow[] {
  return [...attempts]
    .sort((a, b) => a.attempt - b.attempt)
    .map((a) => ({
      attempt: a.attempt,
      startedAt: a.startedAt,
      latency: formatLatency(a.latencyMs),
      outcome: a.httpStatus === null ? "no answer" : `HTTP ${a.httpStatus}`,
      isSuccess: a.httpStatus !== null && a.httpStatus >= 200 && a.httpStatus < 300,
      error: a.error,
      nextAttemptAt: a.nextAttemptAt,
    }));
}

/** One sentence on where a fan-out stands. */
export function deliveryNote(delivery: Delivery): string {
  const attempts = delivery.attempts.length;
  const tries = `${formatNumber(attempts)} ${attempts === 1 ? "attempt" : "attempts"}`;
  if (delivery.protocol === "queue") {
    // A subscription deleted since comes without its endpoint.
    const queue = delivery.endpoint ? `queue ${delivery.endpoint}` : "the queue of a since-deleted subscription";
    if (delivery.status === "delivered") {
      return delivery.queueMessageId
        ? `Sent to ${queue} as message ${delivery.queueMessageId}, in the publish's transaction.`
        : `Sent to ${queue} in the publish's transaction.`;
    }
    if (delivery.status === "failed") return `Not delivered: ${queue} no longer exists.`;
    return `${deliveryStatusInfo[delivery.status].label} for ${queue}.`;
  }
  switch (delivery.status) {
    case "delivered":
      return `Delivered on attempt ${formatNumber(attempts)}.`;
    case "pending":
      return attempts === 0 ? "Waiting for its first attempt." : `Retrying after ${tries}.`;
    case "dropped":
      return `Dropped after ${tries}: the retry strategy gave up.`;
    case "failed":
      return attempts === 0 ? "Failed before any attempt." : `Failed after ${tries}.`;
  }
}
